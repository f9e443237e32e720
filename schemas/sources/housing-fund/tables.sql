-- Housing provident fund centre (住房公积金管理中心): the two tables the hub reads, as the centre keeps
-- them in its own MariaDB (docs/contracts/departments/housing-fund.md). The centre's schema, not ours:
-- the hub has a read-only account and the centre adds no triggers, views or change tables.
-- DATETIME values are Beijing local time to the second. GXSJ is set by the centre's application; many
-- rows share one second, and a row can commit up to 60 s after its GXSJ. Rows are updated in place and
-- never deleted.

CREATE TABLE GJJ_TQ (              -- withdrawals (提取)
  TQBH   VARCHAR(20) PRIMARY KEY,  -- withdrawal number
  ZGXM   VARCHAR(50) NOT NULL,     -- employee name
  SFZH   VARCHAR(18) NOT NULL,     -- resident ID, in clear in the source
  TQLX   CHAR(2)     NOT NULL,     -- reason: 01 purchase 02 rent 03 retirement 04 illness 05 leaving the city 99 other
  TQJE   DECIMAL(14,2) NOT NULL,   -- amount, yuan
  SQSJ   DATETIME    NOT NULL,     -- applied
  SPR    VARCHAR(50),              -- approver
  SPSJ   DATETIME,                 -- approved
  ZFSJ   DATETIME,                 -- paid
  ZT     CHAR(1)     NOT NULL,     -- 0 applied 1 approved 2 paid 3 rejected 9 cancelled
  XZQH   CHAR(6)     NOT NULL,     -- region code (GB/T 2260)
  GXSJ   DATETIME    NOT NULL      -- last change
);

CREATE TABLE GJJ_DK (              -- loans (贷款)
  DKBH   VARCHAR(20) PRIMARY KEY,  -- loan number
  JKRXM  VARCHAR(50) NOT NULL,     -- borrower name
  SFZH   VARCHAR(18) NOT NULL,     -- resident ID, in clear in the source
  DKJE   DECIMAL(14,2) NOT NULL,   -- loan amount, yuan
  DKQX   INT NOT NULL,             -- term, months
  SQSJ   DATETIME NOT NULL,        -- applied
  SPR    VARCHAR(50),              -- approver
  SPSJ   DATETIME,                 -- approved
  FKSJ   DATETIME,                 -- disbursed
  ZT     CHAR(1) NOT NULL,         -- 0 applied 1 approved 2 disbursed 3 rejected 9 cancelled
  XZQH   CHAR(6) NOT NULL,         -- region code (GB/T 2260)
  GXSJ   DATETIME NOT NULL         -- last change
);
