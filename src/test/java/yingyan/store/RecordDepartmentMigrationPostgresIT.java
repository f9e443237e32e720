package yingyan.store;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import yingyan.testsupport.Services;

/** V18's PostgreSQL twin: records stored before it get their department code from their JSON body. */
class RecordDepartmentMigrationPostgresIT {

    @Test
    void recordsStoredBeforeV18GetTheirDepartmentCode_onPostgres() throws Exception {
        String url = Services.freshPostgresDatabase("v18");
        try {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setURL(url);
            ds.setUser(Services.pgUser());
            RecordDepartmentMigrationTest.backfills(ds, "postgresql");
        } finally {
            Services.dropPostgresDatabase(url);
        }
    }
}
