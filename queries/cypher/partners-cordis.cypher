// title: Partner countries of a country or organisation in CORDIS projects
// description: For each partner country: the CORDIS projects in which an organisation of the entity's country (or the entity itself, an organisation) and an organisation of the partner country both take part, in any role, each project counted once (full counting), and the first and last year such a project started. Projects starting after the date or before the year `since` are left out. The same question as `stigraph partners ENTITY --source cordis`.
// param: entity ref  a country code (KE), an actor slug or an IRI
// param: as_of date?  the date to look at, YYYY-MM-DD (default: today)
// param: since int?  count only projects that started in this year or later
// columns: partner projects first_year last_year
MATCH (entity:Resource {uri: $entity})
CALL {
  WITH entity
  MATCH (entity)<-[:MEMBER]-(mine:Membership)-[:ORGANISATION]->(project)
  RETURN mine, project
  UNION
  WITH entity
  MATCH (entity)<-[:HEADQUARTERED_IN]-(:Resource)<-[:MEMBER]-(mine:Membership)
        -[:ORGANISATION]->(project)
  RETURN mine, project
}
WITH entity, mine, project, toString(project.startDate) AS start
WHERE project.uri STARTS WITH 'https://w3id.org/stigraph/id/project/cordis-'
  AND start IS NOT NULL AND start <= $as_of
WITH entity, mine, project, toInteger(substring(start, 0, 4)) AS year
WHERE $since IS NULL OR year >= $since
MATCH (project)<-[:ORGANISATION]-(theirs:Membership)-[:MEMBER]->(:Resource)
      -[:HEADQUARTERED_IN]->(partner:Resource)
WHERE theirs <> mine AND partner <> entity
RETURN partner.uri AS partner, count(DISTINCT project) AS projects, min(year) AS first_year,
       max(year) AS last_year
ORDER BY projects DESC, partner
