// title: Actors active in a cooperation area
// description: Actors that address the cooperation area directly, or run an initiative that does.
// param: area area  a cooperation area slug (testbeds, research-collaboration…)
// columns: actor label kind how
MATCH (area:Resource {uri: $area})
CALL {
  WITH area
  MATCH (actor)-[:ADDRESSES_AREA]->(area)
  RETURN actor, 'directly' AS how
  UNION
  WITH area
  MATCH (actor)-[:RUNS]->()-[:ADDRESSES_AREA]->(area)
  RETURN actor, 'runs an initiative in the area' AS how
}
WITH actor, how
WHERE actor.label IS NOT NULL
UNWIND actor.rdfTypes AS typeIri
MATCH (class:Resource {uri: typeIri})
WHERE class.uri = 'https://w3id.org/stigraph/ontology/Actor'
   OR EXISTS {
     MATCH (class)-[:SUB_CLASS_OF*1..]->(:Resource {uri: 'https://w3id.org/stigraph/ontology/Actor'})
   }
WITH actor, how,
     CASE WHEN typeIri STARTS WITH 'https://w3id.org/stigraph/ontology/'
          THEN substring(typeIri, size('https://w3id.org/stigraph/ontology/')) ELSE '' END AS kind
RETURN DISTINCT actor.uri AS actor, actor.label AS label, kind, how
ORDER BY label, how, kind
