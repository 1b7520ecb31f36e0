-- The Mandate-Choice matrix: each capability from its latest wave
SELECT capability, mandatory, wave, responses, nps, ci_low, ci_high,
       coalesce(quadrant::text, 'insufficient evidence') AS quadrant, action, suppressed,
       coalesce(current_setting('platform_metrics.good_experience_nps', true), '30')::double precision AS threshold
  FROM platform_metrics.capability_quadrants
