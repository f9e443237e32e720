package yingyan.adapters.approvals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import yingyan.spi.SourceMapper;

/** The approvals adapter's reading and mapping for tests outside its package (the benchmark's floor). */
public final class ApprovalsParts {
    private ApprovalsParts() {
    }

    public static SourceMapper mapper() {
        return new ApprovalsMapper();
    }

    /** A page or an item as the adapter parses it (decimals exact). */
    public static JsonNode read(byte[] json) throws IOException {
        return ApprovalsJson.read(json);
    }

    /** The item's bytes as the adapter hashes and submits them. */
    public static byte[] stable(JsonNode item) {
        return ApprovalsJson.stable(item);
    }
}
