// title: Members of an actor or initiative as of a date
// description: Who is a member of (or takes part in) the organisation or initiative on the given date, in which role, since when and on whose word. A membership counts only if it certainly holds on the date (its certainFrom and certainTo, derived by the build from its dates at their precision, its decision and its organisation's lifetime), as in the SPARQL twin.
// param: organisation ref  an actor or initiative slug (cern) or an IRI
// param: as_of date?  the date to look at, YYYY-MM-DD (default: today)
// columns: member memberLabel role start end sources
MATCH (:Resource {uri: $organisation})<-[:ORGANISATION]-(m:Membership)-[:MEMBER]->(member)
MATCH (m)-[:ROLE]->(roleNode)
WHERE roleNode.notation IS NOT NULL AND member.label IS NOT NULL
  AND (m.certainFrom IS NULL OR m.certainFrom <= date($as_of))
  AND (m.certainTo IS NULL OR m.certainTo >= date($as_of))
WITH m, member, roleNode.notation AS role,
     toString(m.startDate) AS startDate, toString(m.endDate) AS endDate
OPTIONAL MATCH (m)-[:SOURCE]->(src:Resource)
WITH member, role, coalesce(startDate, '') AS start, coalesce(endDate, '') AS end, m,
     collect(src.uri) AS iris
WITH member, role, start, end, iris + coalesce(m.source, []) AS srcs
UNWIND CASE WHEN size(srcs) = 0 THEN [null] ELSE srcs END AS src
WITH member.uri AS member, member.label AS memberLabel, role, start, end, src
ORDER BY src
WITH member, memberLabel, role, start, end, collect(DISTINCT src) AS srcList
RETURN member, memberLabel, role, start, end,
       reduce(acc = '', s IN srcList | acc + CASE WHEN acc = '' THEN '' ELSE ' ' END + s)
         AS sources
ORDER BY memberLabel, role, start
