// title: Paths between two actors, initiatives or countries
// description: Every simple path of up to three hops between source and target over cooperation relations (memberOf, participatesIn, partnerOf, runs, coordinates, funds, supports, partOfProgramme, hosts, headquarteredIn) in either direction, shortest first.
// param: source ref  where the path starts: a slug, country code or IRI
// param: target ref  where the path ends: a slug, country code or IRI
// columns: length hop1 hop1Label hop2 hop2Label
MATCH (source:Resource {uri: $source}), (target:Resource {uri: $target})
CALL {
  WITH source, target
  MATCH (source)-[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(target)
  RETURN 1 AS length, null AS hop1, null AS hop2
  UNION
  WITH source, target
  MATCH (source)-[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(h1)
        -[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(target)
  WHERE h1 <> source AND h1 <> target
  RETURN 2 AS length, h1 AS hop1, null AS hop2
  UNION
  WITH source, target
  MATCH (source)-[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(h1)
        -[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(h2)
        -[:MEMBER_OF|PARTICIPATES_IN|PARTNER_OF|RUNS|COORDINATES|FUNDS|SUPPORTS|PART_OF_PROGRAMME|HOSTS|HEADQUARTERED_IN]-(target)
  WHERE h1 <> source AND h1 <> target AND h2 <> source AND h2 <> target AND h1 <> h2
  RETURN 3 AS length, h1 AS hop1, h2 AS hop2
}
RETURN DISTINCT length, hop1.uri AS hop1, hop1.label AS hop1Label,
       hop2.uri AS hop2, hop2.label AS hop2Label
ORDER BY length, hop1Label, hop2Label, hop1, hop2
