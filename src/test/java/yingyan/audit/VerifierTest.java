package yingyan.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import yingyan.audit.VerifyReport.Finding;
import yingyan.audit.VerifyReport.Kind;

/**
 * {@link Verifier} on H2: a database as the hub wrote it is intact; each kind of tampering with either
 * chain (a row edited, deleted, two rows reordered) and with the ledger is found and located — the table,
 * the seq and what differs.
 */
class VerifierTest {

    @Test
    void aDatabaseAsTheHubWroteItIsIntact() throws Exception {
        VerifyReport r = ChainFixtures.h2().filled().verify();

        assertThat(r.findings()).isEmpty();
        assertThat(r.intact()).isTrue();
        assertThat(r.checked()).containsEntry("record_version chained", 6L).containsEntry("audit_log", 3L)
                .containsEntry("province_delivery", 6L).containsEntry("record", 3L);
    }

    @Test
    void anEditedVersionBodyIsFoundAtItsSeqWithThePathThatDiffers() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        // seq 6 is B's current version: the record table keeps the body as it was written.
        db.jdbc.update("UPDATE record_version SET body = REPLACE(body, '\"OPEN\"', '\"COMPLETED\"') WHERE seq = 6");

        VerifyReport r = db.verify();

        Finding f = only(r, "record_version");
        assertThat(f.kind()).isEqualTo(Kind.EDITED);
        assertThat(f.seq()).isEqualTo(6L);
        assertThat(f.detail()).contains("fixture:B").contains("$.status");
        assertThat(r.intact()).isFalse();
        assertThat(r.findings()).anySatisfy(echo -> assertThat(echo.toString()).startsWith("INCONSISTENT record seq 6:"
                + " record fixture:B differs from its current version (seq 6, found changed above)"));
    }

    @Test
    void anEditedLineageColumnIsFoundWithTheValueItsOwnBodyContradicts() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("UPDATE record_version SET region_code = '370781' WHERE seq = 3");

        Finding f = only(db.verify(), "record_version");

        assertThat(f.kind()).isEqualTo(Kind.EDITED);
        assertThat(f.seq()).isEqualTo(3L);
        assertThat(f.detail()).contains("region_code is '370781' but its body says '370783'");
    }

    @Test
    void aDeletedVersionIsFoundAsTheMissingSeqAndTheLedgerStillOwingIt() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("DELETE FROM record_version WHERE seq = 4");

        VerifyReport r = db.verify();

        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.DELETED);
            assertThat(f.table()).isEqualTo("record_version");
            assertThat(f.seq()).isEqualTo(4L);
            assertThat(f.detail()).contains("seq 4 is missing").contains("seq 5");
        });
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.detail())
                .contains("delivery ledger owes the province this version of record fixture:C"));
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.detail())
                .contains("record fixture:C's current version is not in the history"));
    }

    @Test
    void theNewestVersionDeletedIsFoundThroughTheChainHead() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("DELETE FROM record_version WHERE seq = 6");
        db.jdbc.update("DELETE FROM province_delivery WHERE seq = 6");
        db.jdbc.update("UPDATE record SET version_seq = 2 WHERE record_id = 'fixture:B'");

        VerifyReport r = db.verify();

        assertThat(r.findings()).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.DELETED);
            assertThat(f.seq()).isEqualTo(6L);
            assertThat(f.detail()).contains("the newest seq 6 is missing").contains("feed_lock.last_seq is 6");
        });
    }

    @Test
    void twoVersionsWithTheirSeqsSwappedAreFoundAsReorderedAtBothSeqs() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.swapSeqs("record_version", 2, 3);

        VerifyReport r = db.verify();

        List<Finding> history = r.findings().stream().filter(f -> f.table().equals("record_version")).toList();
        assertThat(history).extracting(Finding::kind).containsOnly(Kind.REORDERED);
        assertThat(history).extracting(Finding::seq).containsExactly(2L, 3L);
        assertThat(history.get(0).detail()).contains("record fixture:A").contains("chained as seq 3");
        assertThat(history.get(1).detail()).contains("record fixture:B").contains("chained as seq 2");
        // The ledger still has A at 3 and B at 2: it says so too.
        assertThat(r.findings()).anySatisfy(f -> assertThat(f.detail())
                .contains("the ledger row is for record fixture:B, the version with this seq is of record fixture:A"));
    }

    @Test
    void twoVersionsWithTheirContentsSwappedAreFoundAsReordered() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        // Everything but seq and chain hash exchanged between seq 4 (C) and seq 5 (A).
        String cols = "record_id, domain, region_code, adapter, source_key, updated_at, payload_sha256, fetched_at,"
                + " applied_at, conflict, body";
        db.jdbc.update("CREATE TABLE swap AS SELECT seq, " + cols + " FROM record_version WHERE seq IN (4, 5)");
        for (String c : cols.split(",\\s*")) {
            db.jdbc.update("UPDATE record_version SET " + c + " = (SELECT s." + c + " FROM swap s WHERE s.seq = 9 -"
                    + " record_version.seq) WHERE seq IN (4, 5)");
        }

        List<Finding> history = db.verify().findings().stream().filter(f -> f.table().equals("record_version")).toList();

        assertThat(history).extracting(Finding::kind).containsOnly(Kind.REORDERED);
        assertThat(history).extracting(Finding::seq).containsExactly(4L, 5L);
        assertThat(history.get(0).detail()).contains("fixture:A").contains("chained as seq 5");
    }

    @Test
    void anEditedCurrentRecordIsFoundAgainstItsIntactVersion() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("UPDATE record SET body = REPLACE(body, '\"OPEN\"', '\"COMPLETED\"') WHERE record_id = 'fixture:C'");

        VerifyReport r = db.verify();

        assertThat(r.findings()).extracting(Finding::toString).containsExactly("EDITED record seq 4: record fixture:C's"
                + " current row was changed (its version at seq 4 is intact): its body differs from the version's at"
                + " $.status");
    }

    @Test
    void anEditedAuditEntryIsFoundAtItsSeq() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("UPDATE audit_log SET actor = 'somebody-else' WHERE seq = 2");

        Finding f = only(db.verify(), "audit_log");

        assertThat(f.kind()).isEqualTo(Kind.EDITED);
        assertThat(f.seq()).isEqualTo(2L);
        assertThat(f.detail()).contains("actor=somebody-else").contains("link to seq 1 is intact");
    }

    @Test
    void aDeletedAuditEntryIsFoundAsTheMissingSeq() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("DELETE FROM audit_log WHERE seq = 2");

        Finding f = only(db.verify(), "audit_log");

        assertThat(f.kind()).isEqualTo(Kind.DELETED);
        assertThat(f.seq()).isEqualTo(2L);
        assertThat(f.detail()).contains("seq 2 is missing");
    }

    @Test
    void theNewestAuditEntryDeletedIsFoundThroughTheHead() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("DELETE FROM audit_log WHERE seq = 3");

        Finding f = only(db.verify(), "audit_log");

        assertThat(f.kind()).isEqualTo(Kind.DELETED);
        assertThat(f.seq()).isEqualTo(3L);
        assertThat(f.detail()).contains("audit_head.last_seq is 3");
    }

    @Test
    void twoAuditEntriesWithTheirSeqsSwappedAreFoundAsReordered() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.swapSeqs("audit_log", 1, 2);

        List<Finding> audit = db.verify().findings();

        assertThat(audit).extracting(Finding::table).containsOnly("audit_log");
        assertThat(audit).extracting(Finding::kind).containsOnly(Kind.REORDERED);
        assertThat(audit).extracting(Finding::seq).containsExactly(1L, 2L);
        assertThat(audit.get(0).detail()).contains("retry-failed").contains("chained as seq 2");
    }

    @Test
    void ledgerStatesTheHubNeverWritesAreFound() throws Exception {
        ChainFixtures db = ChainFixtures.h2().filled();
        db.jdbc.update("UPDATE province_delivery SET state = 'ACCEPTED', accepted_at = since WHERE seq = 6");
        db.jdbc.update("UPDATE province_delivery SET superseded_by = 1 WHERE seq = 3");
        db.jdbc.update("UPDATE record SET version_seq = 3 WHERE record_id = 'fixture:A'");

        VerifyReport r = db.verify();

        assertThat(r.findings()).extracting(Finding::toString).contains(
                "INCONSISTENT province_delivery seq 6: ACCEPTED without a batch: the hub sets a version ACCEPTED"
                        + " only within a batch",
                "INCONSISTENT province_delivery seq 3: SUPERSEDED, but names seq 1, which is not newer",
                "INCONSISTENT record seq 3: record fixture:A is current at seq 3, but its newest version is seq 5");
    }

    @Test
    void versionsWrittenBeforeTheChainAreLegacyAndTheChainStartsAfterThem() throws Exception {
        ChainFixtures db = ChainFixtures.migrated("jdbc:h2:mem:verify-legacy-" + java.util.UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "4");
        // What a hub before V5 wrote: versions without a chain hash, seqs from the identity column.
        String body = yingyan.canonical.CanonicalJson.write(ChainFixtures.rec("OLD", 1));
        var old = ChainFixtures.rec("OLD", 1);
        db.jdbc.update("INSERT INTO record_version (record_id, domain, region_code, adapter, source_key, updated_at,"
                + " payload_sha256, fetched_at, applied_at, conflict, body) VALUES (?,?,?,?,?,?,?,?,?,FALSE,?)",
                old.recordId(), "APPROVAL", "370783", "fixture", "OLD", old.source().updatedAt(),
                old.source().payloadSha256(), old.source().fetchedAt(), old.source().fetchedAt(), body);
        db.jdbc.update("INSERT INTO province_delivery (seq, record_id, state, since) VALUES (1, ?, 'PENDING', ?)",
                old.recordId(), old.source().fetchedAt());
        db.jdbc.update("INSERT INTO record (record_id, domain, region_code, adapter, source_key, updated_at,"
                + " payload_sha256, version_seq, applied_at, body) VALUES (?,?,?,?,?,?,?,1,?,?)", old.recordId(),
                "APPROVAL", "370783", "fixture", "OLD", old.source().updatedAt(), old.source().payloadSha256(),
                old.source().fetchedAt(), body);
        db.migrate(null);
        db.filled();

        VerifyReport r = db.verify();

        assertThat(r.findings()).isEmpty();
        assertThat(r.checked()).containsEntry("record_version legacy (before the chain)", 1L)
                .containsEntry("record_version chained", 6L);

        db.jdbc.update("DELETE FROM record_version WHERE seq = 2"); // the first chained version
        assertThat(db.verify().findings()).anySatisfy(f -> assertThat(f.toString())
                .startsWith("DELETED record_version seq 2: seq 2 is missing"));
    }

    private static Finding only(VerifyReport r, String table) {
        List<Finding> in = r.findings().stream().filter(f -> f.table().equals(table)).toList();
        assertThat(in).as("findings in %s (all: %s)", table, r.findings()).hasSize(1);
        return in.get(0);
    }
}
