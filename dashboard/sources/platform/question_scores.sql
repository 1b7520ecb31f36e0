-- Every survey question of every closed wave: favourable share and mean with intervals, changes
SELECT q.wave, q.question, c.wording, q.dimension, q.responses, q.favorable_share, q.favorable_low, q.favorable_high,
       q.mean_score, q.weighted_share, q.change, q.q_value, q.significant, q.suppressed
  FROM platform_metrics.question_scores q
  LEFT JOIN platform_metrics.survey_questions c USING (question)
