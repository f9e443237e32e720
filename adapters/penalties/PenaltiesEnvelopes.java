package yingyan.adapters.penalties;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.soap.MessageFactory;
import jakarta.xml.soap.MimeHeaders;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPElement;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPFault;
import jakarta.xml.soap.SOAPHeader;
import jakarta.xml.soap.SOAPMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import javax.xml.namespace.QName;
import yingyan.adapters.penalties.soap.QueryPenalties;
import yingyan.adapters.penalties.soap.QueryPenaltiesResponse;
import yingyan.adapters.penalties.soap.wsse.SecurityHeaderType;

/**
 * The service side of the bureau's SOAP 1.1 envelopes, through SAAJ and the JAXB types generated from our WSDL:
 * what the quick start's demo service and the tests answer, and how a golden case's {@code input.xml} (a response
 * envelope as the bureau sends it) is read. The hub's own calls go through CXF ({@link PenaltiesClient}).
 */
final class PenaltiesEnvelopes {
    private static final JAXBContext JAXB;

    static {
        try {
            JAXB = JAXBContext.newInstance(yingyan.adapters.penalties.soap.ObjectFactory.class,
                    yingyan.adapters.penalties.soap.wsse.ObjectFactory.class);
        } catch (JAXBException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PenaltiesEnvelopes() {
    }

    /** One queryPenalties request: its parameters and the UsernameToken of its wsse:Security header (or null). */
    record Request(QueryPenalties query, SecurityHeaderType security) {
    }

    /** Reads a request envelope. */
    static Request readRequest(InputStream in) throws IOException {
        try {
            SOAPMessage m = factory().createMessage(new MimeHeaders(), in);
            SecurityHeaderType security = null;
            SOAPHeader header = m.getSOAPHeader();
            if (header != null) {
                Iterator<?> it = header.getChildElements(new QName(PenaltiesClient.WSSE_NS, "Security"));
                if (it.hasNext()) {
                    security = JAXB.createUnmarshaller().unmarshal((SOAPElement) it.next(), SecurityHeaderType.class)
                            .getValue();
                }
            }
            Object body = JAXB.createUnmarshaller().unmarshal(m.getSOAPBody().extractContentAsDocument());
            if (!(body instanceof QueryPenalties q)) {
                throw new IOException("the body is not a p:queryPenalties");
            }
            return new Request(q, security);
        } catch (SOAPException | JAXBException e) {
            throw new IOException("not a SOAP 1.1 queryPenalties request: " + e.getMessage(), e);
        }
    }

    /** Reads a response envelope (a golden case's input.xml): its p:queryPenaltiesResponse. */
    static QueryPenaltiesResponse readResponse(InputStream in) throws IOException {
        try {
            SOAPMessage m = factory().createMessage(new MimeHeaders(), in);
            Object body = JAXB.createUnmarshaller().unmarshal(m.getSOAPBody().extractContentAsDocument());
            if (body instanceof JAXBElement<?> e) {
                body = e.getValue();
            }
            if (!(body instanceof QueryPenaltiesResponse r)) {
                throw new IOException("the body is not a p:queryPenaltiesResponse");
            }
            return r;
        } catch (SOAPException | JAXBException e) {
            throw new IOException("not a SOAP 1.1 queryPenaltiesResponse envelope: " + e.getMessage(), e);
        }
    }

    /** A response envelope holding the answer. */
    static byte[] response(QueryPenaltiesResponse answer) {
        try {
            SOAPMessage m = factory().createMessage();
            JAXB.createMarshaller().marshal(answer, m.getSOAPBody());
            return bytes(m);
        } catch (SOAPException | JAXBException | IOException e) {
            throw new IllegalStateException("cannot write a queryPenaltiesResponse envelope", e);
        }
    }

    /** A SOAP 1.1 fault envelope: {@code code} is p:AuthFailed, p:Busy, or soapenv:Server. */
    static byte[] fault(QName code, String text) {
        try {
            SOAPMessage m = factory().createMessage();
            SOAPFault f = m.getSOAPBody().addFault();
            String prefix = SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE.equals(code.getNamespaceURI())
                    ? m.getSOAPPart().getEnvelope().getPrefix() : "p";
            f.setFaultCode(new QName(code.getNamespaceURI(), code.getLocalPart(), prefix));
            f.setFaultString(text);
            return bytes(m);
        } catch (SOAPException | IOException e) {
            throw new IllegalStateException("cannot write a fault envelope", e);
        }
    }

    /** The soapenv:Server fault code. */
    static QName serverFault() {
        return new QName(SOAPConstants.URI_NS_SOAP_1_1_ENVELOPE, "Server");
    }

    private static byte[] bytes(SOAPMessage m) throws SOAPException, IOException {
        m.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    private static MessageFactory factory() throws SOAPException {
        return MessageFactory.newInstance(SOAPConstants.SOAP_1_1_PROTOCOL);
    }
}
