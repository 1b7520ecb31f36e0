-- The DevEx index per wave (organisation) with Cronbach alpha
SELECT wave, index, index_low, index_high, alpha, questions, complete_respondents, suppressed
  FROM platform_metrics.devex_index WHERE team IS NULL
