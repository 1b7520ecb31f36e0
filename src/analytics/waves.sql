-- waves.sql: survey waves stay put once closed (since 1.3)
--
-- The survey views show a wave only once it is closed, so its published
-- figures never change: comparing them before and after an answer landed
-- cannot isolate that answer.  Two triggers keep it so: a closed wave takes
-- no new answer, and a closed wave stays closed.  Superusers are exempt (they
-- restore dumps, whose answers load after their waves, and may correct data).

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_answers_open() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    w record;
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN NULL;
    END IF;
    -- FOR SHARE: closing a wave (an UPDATE of its row) waits for the batches
    -- still writing to it, and a batch that comes after the close sees it
    -- closed (READ COMMITTED reads the newest row; REPEATABLE READ and
    -- SERIALIZABLE fail with a serialization error instead).
    FOR w IN SELECT x.wave, x.closed_at
               FROM @extschema@.survey_waves x
              WHERE x.wave IN (SELECT n.wave FROM pm_new_answers n)
              ORDER BY x.wave
                FOR SHARE
    LOOP
        IF w.closed_at IS NOT NULL THEN
            RAISE EXCEPTION 'survey wave "%" is closed', w.wave
                USING ERRCODE = '55000',
                      DETAIL = 'Its figures are published and do not change.',
                      HINT = 'Answers are taken while a wave is open: register a new wave in survey_waves for further answers.';
        END IF;
    END LOOP;
    RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_answers_open() IS
    'Trigger of survey_responses: refuses answers to closed waves (superusers excepted)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_answers_open() FROM PUBLIC;

CREATE OR REPLACE FUNCTION @extschema@.pm_survey_waves_stay_closed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $fn$
BEGIN
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = session_user) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.closed_at IS NOT NULL
       AND (NEW.closed_at IS DISTINCT FROM OLD.closed_at OR NEW.wave IS DISTINCT FROM OLD.wave) THEN
        RAISE EXCEPTION 'survey wave "%" is closed and stays closed', OLD.wave
            USING ERRCODE = '55000',
                  DETAIL = 'Its figures are published: reopening or renaming it would let new answers be told apart by comparing them.',
                  HINT = 'Register a new wave for further answers.';
    END IF;
    IF NEW.closed_at > pg_catalog.statement_timestamp() THEN
        RAISE EXCEPTION 'survey wave "%" cannot close in the future (closed_at %)', NEW.wave, NEW.closed_at
            USING ERRCODE = '22023',
                  HINT = 'A wave is closed as soon as closed_at is set: set it when the wave ends (closed_at = now()).';
    END IF;
    RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION @extschema@.pm_survey_waves_stay_closed() IS
    'Trigger of survey_waves: a closed wave stays closed, and no wave closes in the future (superusers excepted)';
REVOKE ALL ON FUNCTION @extschema@.pm_survey_waves_stay_closed() FROM PUBLIC;

CREATE TRIGGER survey_responses_open_wave
    AFTER INSERT ON @extschema@.survey_responses
    REFERENCING NEW TABLE AS pm_new_answers
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.pm_survey_answers_open();
CREATE TRIGGER survey_waves_stay_closed
    BEFORE INSERT OR UPDATE ON @extschema@.survey_waves
    FOR EACH ROW EXECUTE FUNCTION @extschema@.pm_survey_waves_stay_closed();

-- survey_responses adopted from a 1.x layer holds answers to waves nobody
-- registered: they are registered, open (the views show them once an admin
-- closes them), and the table gets the constraint a fresh one has.
INSERT INTO @extschema@.survey_waves (wave, opened_at)
SELECT r.wave, pg_catalog.min(r.submitted_at) FROM @extschema@.survey_responses r GROUP BY r.wave
    ON CONFLICT (wave) DO NOTHING;
DO $fk$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid OPERATOR(pg_catalog.=) '@extschema@.survey_responses'::pg_catalog.regclass
                      AND c.conname OPERATOR(pg_catalog.=) 'survey_responses_unknown_wave') THEN
        ALTER TABLE @extschema@.survey_responses ADD CONSTRAINT survey_responses_unknown_wave
            FOREIGN KEY (wave) REFERENCES @extschema@.survey_waves;
    END IF;
END
$fk$;
