-- export.sql: the models of a dvk database as JSON lines, one object per model, in the
-- shape of the Directus collection of bench/peer/collection.json (bench/peer.sh, issue 8).
-- The members are those of dvk's JSON model (GET /api/v1/models/{id}), in its order; what
-- dvk joins from other tables (owner, tags, results, unit name) is copied into the row,
-- the flattest and fastest shape Directus can be given. Empty dates become null.
SELECT json_object(
    'id', m.id, 'code', m.code, 'ext_key', m.ext_key, 'title', m.title, 'summary', m.summary,
    'description', m.description, 'field', m.field, 'kind', m.kind,
    'registration_level', m.registration_level, 'status', m.status, 'owner_type', o.type,
    'hierarchy', m.hierarchy, 'unit_code', m.unit_code, 'registered_on', m.registered_on,
    'owner', o.name, 'situation', m.situation, 'objectives', m.objectives, 'content', m.content,
    'area_target', m.area_target, 'forces', m.forces, 'resources', m.resources,
    'outputs', m.outputs, 'sustainability', m.sustainability,
    'period_from', nullif(m.period_from, ''), 'period_to', nullif(m.period_to, ''),
    'tags', json(coalesce((SELECT json_group_array(tag) FROM
        (SELECT tag FROM model_tags WHERE model_id = m.id ORDER BY pos)), '[]')),
    'typical', json(CASE WHEN m.typical THEN 'true' ELSE 'false' END),
    'public', json(CASE WHEN m.public THEN 'true' ELSE 'false' END),
    'typical_reason', m.typical_reason, 'commune_2025', m.c25_chosen,
    'results', json(coalesce((SELECT json_group_array(json_object('year', year, 'indicator', indicator, 'value', value))
        FROM model_results WHERE model_id = m.id), '[]')),
    'version', m.version, 'unit_name', u.name,
    'p24', m.p24, 'd24', m.d24, 'c24', m.c24, 'p25', m.p25, 'c25', m.c25,
    'created_at', m.created_at, 'updated_at', m.updated_at)
FROM models m
LEFT JOIN owners o ON o.id = m.owner_id
LEFT JOIN units u ON u.hierarchy = m.hierarchy AND u.code = m.unit_code
ORDER BY m.id;
