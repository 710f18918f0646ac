// title: Developing countries with no link in a cooperation area
// description: Developing countries (UN M49 developing regions) that are not a member of or participant in any actor or initiative addressing the area, and where no initiative addressing the area is active.
// param: area area  a cooperation area slug (testbeds, research-collaboration…)
// columns: country iso2 name
MATCH (:Resource {uri: 'https://w3id.org/stigraph/id/group/developing'})-[:MEMBER]->(country)
WHERE country.iso2 IS NOT NULL AND country.label IS NOT NULL
  AND NOT EXISTS {
    MATCH (country)<-[:MEMBER]-(:Membership)-[:ORGANISATION]->(joined)
    MATCH (joined)-[:ADDRESSES_AREA]->(:Resource {uri: $area})
  }
  AND NOT EXISTS {
    MATCH (country)<-[:ACTIVE_IN]-(initiative)-[:ADDRESSES_AREA]->(:Resource {uri: $area})
  }
RETURN country.uri AS country, country.iso2 AS iso2, country.label AS name
ORDER BY iso2
