-- One line per table of test/dump_data.sql: "table|rows md5(text) md5(binary)",
-- the rows as text in a fixed order (text forms are lossless) and, for the
-- stored types, their binary send output in the same order.
SELECT 'platform_metrics.' || t || '|' || (xpath('/table/row/r/text()',
         query_to_xml(format($q$SELECT count(*) || ' ' || md5(coalesce(string_agg(x::text, E'\n' ORDER BY x::text), '')) AS r
                                 FROM platform_metrics.%I x$q$, t), false, false, '')))[1]::text
  FROM unnest(ARRAY['capabilities', 'teams', 'survey_waves', 'survey_questions', 'survey_responses', 'usage_events', 'onboarding',
                    'feedback', 'unplanned_work']) t
UNION ALL
SELECT 'public.stored|' || count(*) || ' ' || md5(string_agg(x::text, E'\n' ORDER BY x::text)) || ' ' ||
       md5(string_agg(platform_metrics.nps_summary_send(s) || platform_metrics.mandate_quadrant_send(q), '' ORDER BY x::text)::text)
  FROM public.stored x
UNION ALL
SELECT 'public.stored_ttv|' || count(*) || ' ' || md5(string_agg(x::text, E'\n' ORDER BY x::text)) || ' ' ||
       md5(string_agg(platform_metrics.ttv_sketch_send(sketch) || platform_metrics.ttv_curve_send(curve), '' ORDER BY x::text)::text)
  FROM public.stored_ttv x
UNION ALL
SELECT 'public.stored_likert|' || count(*) || ' ' || md5(string_agg(x::text, E'\n' ORDER BY x::text)) || ' ' ||
       md5(string_agg(platform_metrics.likert_summary_send(five) || platform_metrics.likert_summary_send(seven), '' ORDER BY x::text)::text)
  FROM public.stored_likert x
UNION ALL
SELECT 'public.stored_cohorts|' || count(*) || ' ' || md5(string_agg(x::text, E'\n' ORDER BY x::text)) || ' ' ||
       md5(string_agg(platform_metrics.cohort_matrix_send(m), '' ORDER BY x::text)::text)
  FROM public.stored_cohorts x
ORDER BY 1;
