package yingyan.canonical;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class MaskedExceptionTest {

    @Test
    void theCopyMasksEveryMessageAndKeepsTypesStackTracesAndCauses() {
        IOException cause = new IOException("driver refused 110105 19491231 002X");
        IllegalStateException original = new IllegalStateException("row 440524188001010014 is bad", cause);
        original.addSuppressed(new IllegalArgumentException("also 370702850315001"));
        cause.initCause(original); // a cycle must not loop

        MaskedException copy = MaskedException.of(original);
        StringWriter printed = new StringWriter();
        copy.printStackTrace(new PrintWriter(printed));

        assertThat(copy.getMessage()).isEqualTo("java.lang.IllegalStateException: row 440524********0014 is bad");
        assertThat(copy.getStackTrace()).isEqualTo(original.getStackTrace());
        assertThat(copy.getCause().getMessage()).isEqualTo("java.io.IOException: driver refused 110105********002X");
        assertThat(printed.toString()).contains("370702*****5001", "theCopyMasksEveryMessageAndKeepsTypesStackTraces");
        assertThat(ResidentIds.findClear(printed.toString())).isEmpty();
        assertThat(MaskedException.of(null)).isNull();
    }
}
