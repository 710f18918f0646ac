// title: Who cooperates with an actor, initiative or country
// description: Partners of the entity and what links them: membership of the same organisation or programme (co-member), a membership of one in the other (member / membership), or a direct relation (partnerOf, funds, runs, coordinates, supports, and their inverses).
// param: entity ref  an actor or initiative slug (cern), a country code (KE) or an IRI
// columns: partner partnerLabel via through throughLabel
MATCH (entity:Resource {uri: $entity})
CALL {
  WITH entity
  MATCH (entity)<-[:MEMBER]-(:Membership)-[:ORGANISATION]->(through)
        <-[:ORGANISATION]-(:Membership)-[:MEMBER]->(partner)
  RETURN partner, 'co-member' AS via, through
  UNION
  WITH entity
  MATCH (entity)<-[:ORGANISATION]-(:Membership)-[:MEMBER]->(partner)
  RETURN partner, 'member' AS via, entity AS through
  UNION
  WITH entity
  MATCH (entity)<-[:MEMBER]-(:Membership)-[:ORGANISATION]->(partner)
  RETURN partner, 'membership' AS via, partner AS through
  UNION
  WITH entity
  MATCH (entity)-[r:PARTNER_OF|FUNDS|RUNS|COORDINATES|SUPPORTS]->(partner)
  RETURN partner,
         CASE type(r) WHEN 'PARTNER_OF' THEN 'partnerOf' WHEN 'FUNDS' THEN 'funds'
           WHEN 'RUNS' THEN 'runs' WHEN 'COORDINATES' THEN 'coordinates'
           ELSE 'supports' END AS via,
         partner AS through
  UNION
  WITH entity
  MATCH (partner)-[r:PARTNER_OF|FUNDS|RUNS|COORDINATES|SUPPORTS]->(entity)
  RETURN partner,
         CASE type(r) WHEN 'PARTNER_OF' THEN 'partnerOf' WHEN 'FUNDS' THEN 'funded by'
           WHEN 'RUNS' THEN 'run by' WHEN 'COORDINATES' THEN 'coordinated by'
           ELSE 'supported by' END AS via,
         partner AS through
}
WITH entity, partner, via, through
WHERE partner <> entity AND partner.label IS NOT NULL AND through.label IS NOT NULL
RETURN DISTINCT partner.uri AS partner, partner.label AS partnerLabel, via,
       through.uri AS through, through.label AS throughLabel
ORDER BY via, partnerLabel, throughLabel, partner, through
