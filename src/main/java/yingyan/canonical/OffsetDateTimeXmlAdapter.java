package yingyan.canonical;

import jakarta.xml.bind.annotation.adapters.XmlAdapter;
import java.time.OffsetDateTime;

/** ISO-8601 with offset, exactly as in the JSON form. */
public final class OffsetDateTimeXmlAdapter extends XmlAdapter<String, OffsetDateTime> {
    @Override
    public OffsetDateTime unmarshal(String v) {
        return v == null ? null : OffsetDateTime.parse(v.trim());
    }

    @Override
    public String marshal(OffsetDateTime v) {
        return v == null ? null : CanonicalTime.format(v);
    }
}
