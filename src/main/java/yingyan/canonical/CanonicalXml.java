package yingyan.canonical;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.Unmarshaller;
import java.io.StringReader;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * JAXB binding of the canonical record. The reader refuses any DOCTYPE (external DTD, internal subset,
 * entity declarations) outright: with DTD support off the JDK parser would skip a DOCTYPE silently, and a
 * canonical record never has one. No entity is resolved and nothing is fetched.
 */
public final class CanonicalXml {
    private static final JAXBContext CONTEXT;
    private static final XMLInputFactory SAFE_INPUT;

    static {
        try {
            CONTEXT = JAXBContext.newInstance(CanonicalRecord.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
        // The JDK's own StAX, not whichever is on the classpath (CXF brings Woodstox, which refuses
        // ACCESS_EXTERNAL_DTD): the properties below are the JDK's, as land-transfer's SafeXml does.
        SAFE_INPUT = XMLInputFactory.newDefaultFactory();
        SAFE_INPUT.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        SAFE_INPUT.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        SAFE_INPUT.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
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

    private static boolean noDoctype(XMLStreamReader r) {
        if (r.getEventType() == XMLStreamConstants.DTD) {
            throw new DoctypeRefused();
        }
        return true;
    }

    private static final class DoctypeRefused extends RuntimeException {
        DoctypeRefused() {
            super("DOCTYPE refused (a canonical record declares no DTD or entities; nothing is resolved)", null,
                    false, false);
        }
    }

    public static CanonicalRecord read(String xml) {
        try {
            Unmarshaller u = CONTEXT.createUnmarshaller();
            XMLStreamReader r = SAFE_INPUT.createXMLStreamReader(new StringReader(xml));
            return (CanonicalRecord) u.unmarshal(SAFE_INPUT.createFilteredReader(r, CanonicalXml::noDoctype));
        } catch (DoctypeRefused e) {
            throw new IllegalArgumentException("not a canonical v1 XML record: " + e.getMessage(), e);
        } catch (JAXBException | XMLStreamException e) {
            throw new IllegalArgumentException("not a canonical v1 XML record: " + e.getMessage(), e);
        }
    }
}
