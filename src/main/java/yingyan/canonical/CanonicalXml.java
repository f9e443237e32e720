package yingyan.canonical;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/** JAXB binding of the canonical record; readers refuse DTDs and external entities. */
public final class CanonicalXml {
    private static final JAXBContext CONTEXT;
    private static final XMLInputFactory SAFE_INPUT;

    static {
        try {
            CONTEXT = JAXBContext.newInstance(CanonicalRecord.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
        SAFE_INPUT = XMLInputFactory.newFactory();
        SAFE_INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        SAFE_INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    }

    private CanonicalXml() {
    }

    public static JAXBContext context() {
        return CONTEXT;
    }

    public static String write(CanonicalRecord record) {
        try {
            Marshaller m = CONTEXT.createMarshaller();
            m.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            StringWriter w = new StringWriter();
            m.marshal(record, w);
            return w.toString();
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot write canonical XML for " + record.recordId(), e);
        }
    }

    public static CanonicalRecord read(String xml) {
        try {
            Unmarshaller u = CONTEXT.createUnmarshaller();
            return (CanonicalRecord) u.unmarshal(SAFE_INPUT.createXMLStreamReader(new StringReader(xml)));
        } catch (JAXBException | XMLStreamException e) {
            throw new IllegalArgumentException("not a canonical v1 XML record: " + e.getMessage(), e);
        }
    }
}
