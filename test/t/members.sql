-- Every member object of both extensions with its full definition, one line
-- each, in a stable order: what a fresh install and the upgrade chain must
-- agree on (used by test/t/002_upgrade.pl).  OIDs and creation order differ;
-- nothing else may.
SELECT e.extname || ' | ' || pg_catalog.pg_describe_object(d.classid, d.objid, 0) || ' | ' ||
       pg_catalog.regexp_replace(coalesce(CASE d.classid
           WHEN 'pg_proc'::regclass THEN
               (SELECT CASE WHEN p.prokind = 'a'
                            THEN (SELECT pg_catalog.concat_ws(' ', a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                         a.aggserialfn, a.aggdeserialfn, a.aggmtransfn, a.aggminvtransfn,
                                         a.aggmfinalfn, a.aggtranstype::regtype, a.aggtransspace, a.agginitval,
                                         a.aggfinalmodify, p.proparallel)
                                    FROM pg_catalog.pg_aggregate a WHERE a.aggfnoid = p.oid)
                            ELSE pg_catalog.pg_get_functiondef(p.oid) END
                       || ' acl=' || coalesce(p.proacl::text, 'default')
                  FROM pg_catalog.pg_proc p WHERE p.oid = d.objid)
           WHEN 'pg_class'::regclass THEN
               (SELECT c.relkind::text || ' options=' || coalesce(c.reloptions::text, '') ||
                       ' acl=' || coalesce(c.relacl::text, 'default') || ' ' ||
                       CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_get_viewdef(c.oid) ELSE '' END ||
                       ' columns=' || coalesce((SELECT pg_catalog.string_agg(pg_catalog.concat_ws(' ', a.attname,
                                      pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                                      pg_catalog.pg_get_expr(ad.adbin, ad.adrelid),
                                      pg_catalog.col_description(c.oid, a.attnum)), ', ' ORDER BY a.attnum)
                                 FROM pg_catalog.pg_attribute a
                                 LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                                WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') ||
                       ' constraints=' || coalesce((SELECT pg_catalog.string_agg(co.conname || ' ' ||
                                      pg_catalog.pg_get_constraintdef(co.oid), ', ' ORDER BY co.conname)
                                 FROM pg_catalog.pg_constraint co WHERE co.conrelid = c.oid), '') ||
                       ' indexes=' || coalesce((SELECT pg_catalog.string_agg(pg_catalog.pg_get_indexdef(i.indexrelid), ', '
                                                        ORDER BY pg_catalog.pg_get_indexdef(i.indexrelid))
                                 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid), '') ||
                       ' config_dump=' || (c.oid = ANY (coalesce(e.extconfig, '{}')))
                  FROM pg_catalog.pg_class c WHERE c.oid = d.objid)
           WHEN 'pg_type'::regclass THEN
               (SELECT pg_catalog.concat_ws(' ', t.typinput, t.typoutput, t.typreceive, t.typsend, t.typlen,
                                            t.typalign, t.typstorage, t.typbyval, t.typcategory)
                  FROM pg_catalog.pg_type t WHERE t.oid = d.objid)
           WHEN 'pg_operator'::regclass THEN
               (SELECT pg_catalog.concat_ws(' ', o.oprcode, o.oprcom::regoperator, o.oprnegate::regoperator, o.oprrest, o.oprjoin,
                                            o.oprcanhash, o.oprcanmerge)
                  FROM pg_catalog.pg_operator o WHERE o.oid = d.objid)
           END, ''), '\s+', ' ', 'g') ||
       ' initprivs=' || coalesce((SELECT pg_catalog.string_agg(i.objsubid || ':' || i.privtype::text || ':' || i.initprivs::text, ' '
                                                               ORDER BY i.objsubid)
                                    FROM pg_catalog.pg_init_privs i WHERE i.classoid = d.classid AND i.objoid = d.objid), '') || ' | ' ||
       coalesce(pg_catalog.obj_description(d.objid, (SELECT relname FROM pg_catalog.pg_class WHERE oid = d.classid)), '')
  FROM pg_catalog.pg_depend d
  JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND e.extname IN ('platform_metrics', 'platform_metrics_analytics')
 ORDER BY 1;
