package yingyan.adapters.landtransfer;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;

/**
 * The one way this adapter parses XML. The exports come from outside the city network: no DTD is
 * processed, no entity is resolved, nothing is fetched from a file or the network. A DOCTYPE shows up
 * as a {@code DTD} event (which the readers refuse) and an entity reference as an
 * {@code ENTITY_REFERENCE} event (never replaced); the resolver refuses anything that still asks.
 */
final class SafeXml {
    /** Deepest element nesting read (an export is 4 levels deep; the JDK's default is no limit at all). */
    static final int MAX_ELEMENT_DEPTH = 100;
    /** The quarantine reason of a file or item that carries a DOCTYPE or an external entity. */
    static final String REFUSED = "DOCTYPE/external entity refused";

    // The JDK's own StAX parser, whatever else is on the classpath: its behaviour is what the tests pin.
    private static final ThreadLocal<XMLInputFactory> FACTORY = ThreadLocal.withInitial(SafeXml::create);

    private SafeXml() {
    }

    static XMLInputFactory factory() {
        return FACTORY.get();
    }

    private static XMLInputFactory create() {
        XMLInputFactory f = XMLInputFactory.newDefaultFactory();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        f.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        // A 1 GB export of <a><a><a>... would otherwise fill the parser's element stack until the heap ends.
        f.setProperty("jdk.xml.maxElementDepth", MAX_ELEMENT_DEPTH);
        f.setXMLResolver((publicId, systemId, baseUri, namespace) -> {
            throw new XMLStreamException(REFUSED + ": " + systemId);
        });
        return f;
    }
}
