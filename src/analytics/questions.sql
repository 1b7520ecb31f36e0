-- questions.sql: the question catalogue (since 1.4)
--
-- Every answer is to a question registered in survey_questions and within its
-- scale.  The catalogue fills in the defaults of a new question, keeps the
-- extension's nps question as it is, and freezes how a question is scored
-- once it has answers: changing a published question's scale, favourable
-- cut-off or place in the index would change the figures of closed waves,
-- and reading the views under several settings would tell more of the
-- hidden answers than one (README, Anonymity).

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_questions_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.question = 'nps' THEN
        RAISE EXCEPTION 'question "nps" belongs to the extension and cannot be changed'
            USING ERRCODE = '55000',
                  HINT = 'Register a question of your own (scale nps) to ask another 0-10 question.';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF NEW.scale = 'hours' AND NEW.bucket_hours IS NULL THEN
        RAISE EXCEPTION 'question "%" of scale hours needs bucket_hours', NEW.question
            USING ERRCODE = '23514', CONSTRAINT = 'survey_questions_bucket_hours',
                  HINT = 'Give the hours a week each answer stands for, e.g. bucket_hours => ''{0.5,2,4,8,12}'' for answers 1 to 5.';
    END IF;
    IF NEW.scale = 'nps' THEN
        NEW.low := coalesce(NEW.low, 0);
        NEW.high := coalesce(NEW.high, 10);
    ELSE
        NEW.low := coalesce(NEW.low, 1);
        NEW.high := coalesce(NEW.high,
                             CASE WHEN NEW.scale = 'hours' THEN NEW.low + cardinality(NEW.bucket_hours) - 1 ELSE 5 END);
    END IF;
    NEW.favorable_from := coalesce(NEW.favorable_from,
                                   CASE WHEN NEW.reverse_coded THEN NEW.low + 1 ELSE NEW.high - 1 END);
    IF TG_OP = 'UPDATE'
       AND (NEW.scale, NEW.low, NEW.high, NEW.bucket_hours, NEW.favorable_from, NEW.reverse_coded, NEW.in_index)
           IS DISTINCT FROM (OLD.scale, OLD.low, OLD.high, OLD.bucket_hours, OLD.favorable_from, OLD.reverse_coded, OLD.in_index)
       AND EXISTS (SELECT FROM @extschema@.survey_responses r WHERE r.question = OLD.question) THEN
        RAISE EXCEPTION 'question "%" has answers: its scale and how it is scored cannot change', OLD.question
            USING ERRCODE = '55000',
                  DETAIL = 'scale, low, high, bucket_hours, favorable_from, reverse_coded and in_index are fixed once a question is answered; wording and dimension may change.',
                  HINT = 'Register a new question for the new scale.';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_questions_check() IS
    'Trigger of survey_questions: fills in the defaults, keeps question nps, and fixes the scoring of answered questions';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_questions_check() FROM PUBLIC;

CREATE TRIGGER survey_questions_check
    BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.survey_questions
    FOR EACH ROW EXECUTE FUNCTION @extschema@.pm_survey_questions_check();

-- The answers' scale: one statement-level check per INSERT, COPY or UPDATE
-- (a plain INSERT of a score outside its question's scale fails here;
-- ingest() names the event before anything is stored).
CREATE OR REPLACE FUNCTION @extschema@.pm_survey_answers_in_scale() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad record;
BEGIN
    -- FOR SHARE: a change of a question's scale (an UPDATE of its row) waits
    -- for the statements writing answers to it and then sees them; a
    -- statement that comes after the change checks against the new scale
    PERFORM FROM @extschema@.survey_questions q
      WHERE q.question IN (SELECT n.question FROM pm_checked_answers n)
      ORDER BY q.question
        FOR SHARE;
    SELECT n.response_id, n.question, n.score, q.low, q.high INTO bad
      FROM pm_checked_answers n JOIN @extschema@.survey_questions q ON q.question = n.question
     WHERE n.score NOT BETWEEN q.low AND q.high
     ORDER BY n.response_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'score % is outside the scale of question "%" (% to %)', bad.score, bad.question, bad.low, bad.high
            USING ERRCODE = '23514', DETAIL = format('Answer %s.', bad.response_id),
                  CONSTRAINT = 'survey_responses_score_in_scale';
    END IF;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_answers_in_scale() IS
    'Trigger of survey_responses: refuses answers outside their question''s scale';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_answers_in_scale() FROM PUBLIC;

CREATE TRIGGER survey_responses_in_scale
    AFTER INSERT ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_checked_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_in_scale();
CREATE TRIGGER survey_responses_in_scale_update
    AFTER UPDATE ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_checked_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_in_scale();

-- The extension's question, and (survey_responses adopted from a 1.x layer
-- or updated from 1.3) every question answered so far, on the 0-10 scale its
-- answers were checked against.
INSERT INTO @extschema@.survey_questions (question, wording, scale)
VALUES ('nps', 'How likely are you to recommend the platform to a colleague?', 'nps')
    ON CONFLICT (question) DO NOTHING;
ALTER TABLE @extschema@.survey_responses ADD COLUMN IF NOT EXISTS submission_id uuid;
COMMENT ON COLUMN @extschema@.survey_responses.submission_id IS 'Random id the survey tool gives one respondent''s answers in a wave (optional, never shown): per-respondent statistics';
INSERT INTO @extschema@.survey_questions (question, scale)
SELECT DISTINCT r.question, 'nps' FROM @extschema@.survey_responses r
    ON CONFLICT (question) DO NOTHING;
DO $fk$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid OPERATOR(pg_catalog.=) '@extschema@.survey_responses'::pg_catalog.regclass
                      AND c.conname OPERATOR(pg_catalog.=) 'survey_responses_unknown_question') THEN
        ALTER TABLE @extschema@.survey_responses ADD CONSTRAINT survey_responses_unknown_question
            FOREIGN KEY (question) REFERENCES @extschema@.survey_questions;
    END IF;
END
$fk$;
-- One answer per respondent, question and capability in a wave.
CREATE UNIQUE INDEX IF NOT EXISTS survey_responses_one_answer_per_submission
    ON @extschema@.survey_responses (wave, submission_id, question, (coalesce(capability, '')))
 WHERE submission_id IS NOT NULL;
