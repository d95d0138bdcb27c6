-- The practice's schedule of questionnaires and its blood-pressure hold threshold (NULL
-- is the default: 7 days before a session, PCL-5 at every 4th KAP session, 140/90).
ALTER TABLE practice ADD COLUMN measures_before_days INTEGER
    CHECK (measures_before_days BETWEEN 1 AND 30);
ALTER TABLE practice ADD COLUMN pcl5_every_kap INTEGER
    CHECK (pcl5_every_kap BETWEEN 1 AND 12);
ALTER TABLE practice ADD COLUMN bp_hold_systolic INTEGER
    CHECK (bp_hold_systolic BETWEEN 100 AND 220);
ALTER TABLE practice ADD COLUMN bp_hold_diastolic INTEGER
    CHECK (bp_hold_diastolic BETWEEN 60 AND 130);

-- Why a KAP session was booked although a course rule warned (a third KAP session within
-- 7 days, or no integration session since the previous one); NULL when none warned.
ALTER TABLE appointment ADD COLUMN course_reason TEXT;
