-- Text the fund centre's database hands over already mangled: bytes that were not valid in the column's
-- encoding, which the driver decodes as U+FFFD (�). The text is no longer what was written, so each row is
-- quarantined naming the field. Resident IDs below are made up; none belongs to a person.
INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, SPR, SPSJ, ZFSJ, ZT, XZQH, GXSJ) VALUES ('TQ2026039101', '王�', '370702198503150010', '01', 1000.00, '2026-03-12 09:00:00', NULL, NULL, NULL, '0', '370702', '2026-03-12 09:00:00');
INSERT INTO GJJ_TQ (TQBH, ZGXM, SFZH, TQLX, TQJE, SQSJ, SPR, SPSJ, ZFSJ, ZT, XZQH, GXSJ) VALUES ('TQ2026039102', '正常', '370702198503150010', '01', 1000.00, '2026-03-12 09:00:00', '��审批', '2026-03-12 10:00:00', NULL, '1', '370702', '2026-03-12 10:00:00');
INSERT INTO GJJ_DK (DKBH, JKRXM, SFZH, DKJE, DKQX, SQSJ, SPR, SPSJ, FKSJ, ZT, XZQH, GXSJ) VALUES ('DK2026039101', '�', '370783199007020025', 100000.00, 120, '2026-03-12 09:00:00', NULL, NULL, NULL, '0', '370783', '2026-03-12 09:00:00');
