package yingyan.adapters.penalties;

import jakarta.xml.bind.JAXBException;
import jakarta.xml.ws.Holder;
import jakarta.xml.ws.WebServiceException;
import jakarta.xml.ws.soap.SOAPFaultException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.xml.namespace.QName;
import org.apache.cxf.binding.soap.SoapFault;
import org.apache.cxf.binding.soap.SoapHeader;
import org.apache.cxf.endpoint.Client;
import org.apache.cxf.frontend.ClientProxy;
import org.apache.cxf.headers.Header;
import org.apache.cxf.jaxb.JAXBDataBinding;
import org.apache.cxf.jaxws.JaxWsProxyFactoryBean;
import org.apache.cxf.transport.http.HTTPConduit;
import org.apache.cxf.transport.http.HTTPException;
import org.apache.cxf.transports.http.configuration.HTTPClientPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import yingyan.adapters.penalties.soap.Penalty;
import yingyan.adapters.penalties.soap.PenaltyPort;
import yingyan.adapters.penalties.soap.wsse.AttributedString;
import yingyan.adapters.penalties.soap.wsse.ObjectFactory;
import yingyan.adapters.penalties.soap.wsse.PasswordString;
import yingyan.adapters.penalties.soap.wsse.SecurityHeaderType;
import yingyan.adapters.penalties.soap.wsse.UsernameTokenType;
import yingyan.canonical.CanonicalTime;
import yingyan.spi.PollingSource.SourceFailure;

/**
 * One {@code queryPenalties} call through CXF's JAX-WS client (types generated from our WSDL), with the
 * WS-Security UsernameToken (PasswordText) as a typed SOAP header, and the contract's fault policy:
 * {@code p:AuthFailed} fails at once (the adapter goes DOWN and backs off); {@code p:Busy} waits busy-backoff
 * (doubling) and asks again; {@code soapenv:Server}, a timeout, a refused connection or an HTTP 5xx waits
 * initial-backoff (doubling) and asks again; every call gets at most max-attempts. Waits end early when the hub
 * stops.
 */
final class PenaltiesClient {
    static final String NS = "http://gsj.example/penalty/2009";
    static final QName AUTH_FAILED = new QName(NS, "AuthFailed");
    static final QName BUSY = new QName(NS, "Busy");
    static final String WSSE_NS = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    static final String PLAIN_TEXT_TYPE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
            + "#PasswordText";
    private static final Logger log = LoggerFactory.getLogger(PenaltiesClient.class);

    /** One page as the bureau answered it. */
    record Page(int total, List<Penalty> penalties) {
    }

    private final PenaltiesProperties props;
    private final PenaltyPort port;
    private final CountDownLatch stopped = new CountDownLatch(1);

    PenaltiesClient(PenaltiesProperties props) {
        this.props = props;
        JaxWsProxyFactoryBean factory = new JaxWsProxyFactoryBean();
        factory.setServiceClass(PenaltyPort.class);
        factory.setAddress(props.serviceAddress());
        this.port = (PenaltyPort) factory.create();
        Client client = ClientProxy.getClient(port);
        HTTPClientPolicy policy = new HTTPClientPolicy();
        policy.setConnectionTimeout(props.connectTimeout().toMillis());
        policy.setReceiveTimeout(props.readTimeout().toMillis());
        // A redirect would carry the password to wherever it points: refused (HTTP 3xx fails the call).
        policy.setAutoRedirect(false);
        ((HTTPConduit) client.getConduit()).setClient(policy);
        client.getRequestContext().put(Header.HEADER_LIST, List.of(securityHeader(props.username(), props.password())));
    }

    /**
     * The wsse:Security header with a UsernameToken, PasswordText, mustUnderstand: built from the JAXB types of
     * schemas/sources/penalties/wsse-usernametoken.xsd and written by CXF's JAXB data binding.
     */
    static SoapHeader securityHeader(String username, String password) {
        ObjectFactory wsse = new ObjectFactory();
        AttributedString user = wsse.createAttributedString();
        user.setValue(username);
        PasswordString pass = wsse.createPasswordString();
        pass.setType(PLAIN_TEXT_TYPE);
        pass.setValue(password);
        UsernameTokenType token = wsse.createUsernameTokenType();
        token.setUsername(user);
        token.setPassword(pass);
        SecurityHeaderType security = wsse.createSecurityHeaderType();
        security.setUsernameToken(token);
        try {
            SoapHeader header = new SoapHeader(new QName(WSSE_NS, "Security"), wsse.createSecurity(security),
                    new JAXBDataBinding(SecurityHeaderType.class));
            header.setMustUnderstand(true);
            return header;
        } catch (JAXBException e) {
            throw new IllegalStateException("the wsse types do not bind", e);
        }
    }

    /** The call as people read it in a reason: never the credentials. */
    static String describe(OffsetDateTime since, int pageNo, int pageSize) {
        return "queryPenalties(since " + CanonicalTime.formatSource(since) + ", pageNo " + pageNo + ", pageSize "
                + pageSize + ")";
    }

    /**
     * One page.
     *
     * @throws SourceFailure with the reason when the bureau refused the credentials, answered what the hub cannot
     *         read, or kept failing for max-attempts
     */
    Page query(OffsetDateTime since, int pageNo, int pageSize) {
        String what = describe(since, pageNo, pageSize);
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            String problem;
            try {
                checkNotStopped();
                Holder<Integer> total = new Holder<>();
                Holder<List<Penalty>> penalties = new Holder<>();
                port.queryPenalties(CanonicalTime.formatSource(since), pageNo, pageSize, total, penalties);
                return new Page(total.value == null ? 0 : total.value,
                        penalties.value == null ? List.of() : new ArrayList<>(penalties.value));
            } catch (SOAPFaultException e) {
                QName code = faultCode(e);
                String text = PenaltiesMapper.echo(faultString(e));
                if (AUTH_FAILED.equals(code)) {
                    throw new SourceFailure("the penalty service refused the UsernameToken (fault p:AuthFailed: "
                            + text + "): check hub.adapters.penalties.username and password (YINGYAN_PENALTIES_USERNAME,"
                            + " YINGYAN_PENALTIES_PASSWORD); the adapter backs off and tries again later");
                }
                if (BUSY.equals(code)) {
                    problem = "is busy (fault p:Busy: " + text + ")";
                    wait = backoff(props.busyBackoff(), attempt);
                } else {
                    problem = "failed (fault " + (code == null ? "(none)" : code.getLocalPart()) + ": " + text + ")";
                    wait = backoff(props.initialBackoff(), attempt);
                }
            } catch (WebServiceException e) {
                problem = transient_(e);
                if (problem == null) {
                    throw new SourceFailure("the penalty service answered " + what + " with nothing the hub can read: "
                            + PenaltiesMapper.echo(rootMessage(e)) + "; the poll stops here and resumes from the"
                            + " watermark");
                }
                wait = backoff(props.initialBackoff(), attempt);
            }
            if (attempt >= props.maxAttempts()) {
                throw new SourceFailure("the penalty service " + problem + " to " + what + ", " + attempt + " of "
                        + props.maxAttempts() + " attempts (hub.adapters.penalties.max-attempts); the poll stops here"
                        + " and resumes from the watermark");
            }
            log.info("penalties: the service {} to {} (attempt {} of {}); asking again in {} ms", problem, what,
                    attempt, props.maxAttempts(), wait.toMillis());
            pause(wait);
        }
    }

    /** Ends waits: the hub is shutting down (a call under way ends within read-timeout). */
    void stop() {
        stopped.countDown();
    }

    /** What went wrong when asking again may help (network, 5xx), or null when it cannot. */
    private String transient_(WebServiceException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HTTPException h) {
                int sc = h.getResponseCode();
                return sc >= 500 || sc == 429 ? "answered HTTP " + sc : null;
            }
            if (t instanceof SocketTimeoutException || t instanceof HttpTimeoutException) {
                return "did not answer within " + props.readTimeout().toMillis()
                        + " ms (hub.adapters.penalties.read-timeout)";
            }
            if (t instanceof ConnectException) {
                return "refused the connection to " + props.serviceAddress();
            }
            if (t instanceof InterruptedIOException) {
                return null;
            }
            if (t instanceof IOException io) {
                return "could not be reached: " + io.getClass().getSimpleName() + ": " + io.getMessage();
            }
        }
        return null;
    }

    private static QName faultCode(SOAPFaultException e) {
        if (e.getCause() instanceof SoapFault f) {
            return f.getFaultCode();
        }
        return e.getFault() == null ? null : e.getFault().getFaultCodeAsQName();
    }

    private static String faultString(SOAPFaultException e) {
        return e.getFault() != null ? e.getFault().getFaultString() : e.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private Duration backoff(Duration initial, int attempt) {
        Duration d = initial.multipliedBy(1L << Math.min(20, attempt - 1));
        return d.compareTo(props.maxBackoff()) <= 0 ? d : props.maxBackoff();
    }

    private void checkNotStopped() {
        if (stopped.getCount() == 0) {
            throw new SourceFailure("penalties: the hub is shutting down; the poll stops here");
        }
    }

    private void pause(Duration d) {
        try {
            if (stopped.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
                checkNotStopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceFailure("penalties poll interrupted");
        }
    }
}
