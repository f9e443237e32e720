package yingyan.cluster;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.integration.jdbc.lock.LockRepository;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

/**
 * Leader election of the singleton jobs: one Spring Integration {@link LockRegistryLeaderInitiator} per role of
 * {@link SingletonJobs} over a {@link JdbcLockRegistry} on the hub's PostgreSQL ({@code INT_LOCK}). Off
 * (hub.cluster.enabled false, the quick start) nothing is elected and this node leads every role.
 *
 * <p>What is added to the library, and why:
 * <ul>
 * <li>The locks have a small connection pool of their own, with a socket timeout of a third of the ttl and no
 * statement or lock timeout, so that neither a busy hub pool nor a dead connection holds a renewal for long.</li>
 * <li>A repository decorator turns transient and commit failures into ones the library does not retry in place
 * (its lock retries those forever, still "leader", while the connection is dead).</li>
 * <li>A leader stands down by its own clock once its lock is half the ttl old without a renewal: the library
 * revokes only after a failed renewal, which on a silent network comes after the socket timeout, possibly after
 * another node took the lock. A later renewal that succeeds in time makes it run the jobs again.</li>
 * </ul>
 */
@Service
public class LeaderElection implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

    /** One role on this node: the library's view (leader) and ours (active: its routes run here). */
    private static final class RoleState {
        final String role;
        volatile boolean leader;
        volatile boolean active;
        volatile long renewedAt = Long.MIN_VALUE; // System.nanoTime() when the last successful renewal began
        LockRegistryLeaderInitiator initiator;

        RoleState(String role) {
            this.role = role;
        }
    }

    private final ClusterProperties props;
    private final SingletonJobs jobs;
    private final ClusterNodes nodes;
    private final DataSourceProperties dataSource;
    private final Instant startedAt = Instant.now();
    private final Map<String, RoleState> roles = new ConcurrentHashMap<>();
    private volatile boolean running;
    private HikariDataSource lockPool;
    private ScheduledExecutorService timers;
    private ExecutorService standDowns;

    LeaderElection(ClusterProperties props, SingletonJobs jobs, ClusterNodes nodes, DataSourceProperties dataSource) {
        this.props = props;
        this.jobs = jobs;
        this.nodes = nodes;
        this.dataSource = dataSource;
    }

    public boolean enabled() {
        return props.enabled();
    }

    public String node() {
        return props.node();
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Whether this node runs the role's jobs now (always, with the cluster off). */
    public boolean leadsHere(String role) {
        if (!props.enabled()) {
            return true;
        }
        RoleState s = roles.get(role);
        return s != null && s.active;
    }

    /** The roles this node runs now (every role, with the cluster off). */
    public Set<String> led() {
        if (!props.enabled()) {
            return jobs.roles();
        }
        Set<String> out = new TreeSet<>();
        roles.values().forEach(s -> {
            if (s.active) {
                out.add(s.role);
            }
        });
        return out;
    }

    /** The node that runs the role, as far as the presence rows know (this node when it does). */
    public Optional<String> leaderOf(String role) {
        if (leadsHere(role)) {
            return Optional.of(node());
        }
        return nodes.leaderOf(role, Instant.now().minus(props.lostAfter()));
    }

    @EventListener(ApplicationReadyEvent.class)
    public synchronized void start(ApplicationReadyEvent ready) {
        if (!props.enabled() || running) {
            return;
        }
        String url = dataSource.determineUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("hub.cluster.enabled needs PostgreSQL (spring.datasource.url " + url
                    + "); the quick start on H2 runs as one node with hub.cluster.enabled false");
        }
        long ttl = props.lockTtl().toMillis();
        lockPool = lockPool(url, ttl);
        credentials(lockPool);
        DefaultLockRepository repository = new DefaultLockRepository(lockPool, UUID.randomUUID().toString());
        repository.setRegion("yingyan");
        repository.setTimeToLive((int) ttl);
        repository.setTransactionManager(new DataSourceTransactionManager(lockPool));
        repository.afterPropertiesSet();
        repository.afterSingletonsInstantiated();
        JdbcLockRegistry registry = new JdbcLockRegistry(new NotRetriedInPlace(repository));
        running = true;
        timers = Executors.newScheduledThreadPool(2, daemon("cluster-timer-" + node()));
        standDowns = Executors.newCachedThreadPool(daemon("cluster-stand-down-" + node()));
        for (String role : jobs.roles()) {
            RoleState state = new RoleState(role);
            roles.put(role, state);
            LockRegistryLeaderInitiator initiator = new LockRegistryLeaderInitiator(new Recording(registry, state),
                    new DefaultCandidate(node(), role) {
                        @Override
                        public void onGranted(Context ctx) {
                            granted(state);
                        }

                        @Override
                        public void onRevoked(Context ctx) {
                            revoked(state);
                        }
                    });
            initiator.setHeartBeatMillis(props.heartbeat().toMillis());
            initiator.setBusyWaitMillis(Math.max(50, props.heartbeat().toMillis() / 4));
            state.initiator = initiator;
            initiator.start();
        }
        long watch = Math.max(50, Math.min(props.heartbeat().toMillis(), ttl / 2) / 4);
        timers.scheduleWithFixedDelay(this::watch, watch, watch, TimeUnit.MILLISECONDS);
        timers.scheduleWithFixedDelay(this::presence, 0, props.presenceInterval().toMillis(), TimeUnit.MILLISECONDS);
        log.info("cluster node {}: electing {} (lock ttl {}, heartbeat {})", node(), roles.keySet(),
                props.lockTtl(), props.heartbeat());
    }

    private static HikariDataSource lockPool(String url, long ttlMillis) {
        // Not a bean: hub.database.* (statement and lock timeouts) is not applied to it on purpose.
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("cluster-locks");
        pool.setJdbcUrl(url);
        pool.setMaximumPoolSize(4);
        pool.setMinimumIdle(1);
        long third = Math.max(1000, ttlMillis / 3);
        pool.setConnectionTimeout(third);
        pool.setValidationTimeout(Math.max(250, third / 2));
        pool.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, third / 1000)));
        pool.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, third / 1000)));
        pool.addDataSourceProperty("loginTimeout", String.valueOf(Math.max(1, third / 1000)));
        pool.addDataSourceProperty("ApplicationName", "yingyan-cluster-locks");
        return pool;
    }

    private void credentials(HikariDataSource pool) {
        pool.setUsername(dataSource.determineUsername());
        pool.setPassword(dataSource.determinePassword());
    }

    private void granted(RoleState s) {
        synchronized (s) {
            s.leader = true;
            if (fresh(s) && running) {
                s.active = true;
                log.info("cluster node {}: leads {}", node(), s.role);
                jobs.run(s.role);
            }
        }
        presenceQuietly();
    }

    private void revoked(RoleState s) {
        synchronized (s) {
            s.leader = false;
            if (s.active) {
                s.active = false;
                log.info("cluster node {}: no longer leads {}", node(), s.role);
                jobs.halt(s.role, props.lockTtl().toMillis() / 2);
            }
        }
        presenceQuietly();
    }

    /** A renewal (or the first acquisition) that began at {@code began} succeeded. */
    private void renewed(RoleState s, long began) {
        synchronized (s) {
            s.renewedAt = began;
            if (s.leader && !s.active && running && fresh(s)) {
                s.active = true;
                log.info("cluster node {}: lock of {} renewed again, runs it again", node(), s.role);
                jobs.run(s.role);
            }
        }
    }

    /** The lock is less than half the ttl old (counted from when its renewal began). */
    private boolean fresh(RoleState s) {
        return s.renewedAt != Long.MIN_VALUE
                && System.nanoTime() - s.renewedAt < props.lockTtl().toNanos() / 2;
    }

    /** The own-clock stand-down: a leader whose lock went half the ttl without a renewal stops its jobs. */
    private void watch() {
        for (RoleState s : roles.values()) {
            if (s.active && !fresh(s)) {
                standDowns.execute(() -> {
                    synchronized (s) {
                        if (s.active && !fresh(s)) {
                            s.active = false;
                            log.warn("cluster node {}: stands down from {}: its lock was not renewed for half the"
                                    + " ttl ({}); another node may take it", node(), s.role, props.lockTtl());
                            jobs.halt(s.role, props.lockTtl().toMillis() / 2);
                        }
                    }
                });
            }
        }
    }

    private void presence() {
        try {
            jobs.reconcile(led());
        } catch (Exception e) {
            log.warn("cluster node {}: operators' stops not applied this time: {}", node(), e.toString());
        }
        presenceQuietly();
    }

    private void presenceQuietly() {
        if (!running) {
            return;
        }
        try {
            nodes.write(node(), ClusterProperties.host(), startedAt, Instant.now(), led());
        } catch (Exception e) {
            log.debug("presence row not written: {}", e.toString());
        }
    }

    @EventListener(ContextClosedEvent.class)
    public void closing() {
        stopElection();
    }

    @Override
    public void destroy() {
        stopElection();
    }

    /** Gives up every role (the locks are released, so another node takes them at its next try). */
    private synchronized void stopElection() {
        if (!running) {
            return;
        }
        running = false;
        timers.shutdownNow();
        for (RoleState s : roles.values()) {
            try {
                s.initiator.stop();
                s.initiator.destroy();
            } catch (Exception e) {
                log.debug("{}: {}", s.role, e.toString());
            }
        }
        standDowns.shutdownNow();
        try {
            nodes.write(node(), ClusterProperties.host(), startedAt, Instant.now(), Set.of());
        } catch (Exception e) {
            log.debug("presence row not cleared: {}", e.toString());
        }
        lockPool.close();
        log.info("cluster node {}: left the election", node());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** The registry as the initiator sees it: every successful tryLock is noted as a renewal of the role. */
    private final class Recording implements LockRegistry {
        private final LockRegistry delegate;
        private final RoleState state;

        Recording(LockRegistry delegate, RoleState state) {
            this.delegate = delegate;
            this.state = state;
        }

        @Override
        public Lock obtain(Object key) {
            Lock lock = delegate.obtain(key);
            return new Lock() {
                @Override
                public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                    long began = System.nanoTime();
                    boolean ok = lock.tryLock(time, unit);
                    if (ok) {
                        renewed(state, began);
                    }
                    return ok;
                }

                @Override
                public void lock() {
                    lock.lock();
                }

                @Override
                public void lockInterruptibly() throws InterruptedException {
                    lock.lockInterruptibly();
                }

                @Override
                public boolean tryLock() {
                    return lock.tryLock();
                }

                @Override
                public void unlock() {
                    lock.unlock();
                }

                @Override
                public Condition newCondition() {
                    return lock.newCondition();
                }
            };
        }
    }

    /**
     * The library's lock retries a transient or commit failure in place, without a time limit; on a dead
     * connection that is a loop while still "leader". Turned into a resource failure, it ends the try instead.
     */
    private static final class NotRetriedInPlace implements LockRepository {
        private final LockRepository delegate;

        NotRetriedInPlace(LockRepository delegate) {
            this.delegate = delegate;
        }

        private static RuntimeException plain(RuntimeException e) {
            if (e instanceof TransientDataAccessException || e instanceof TransactionException) {
                return new DataAccessResourceFailureException("lock repository: " + e.getMessage(), e);
            }
            return e;
        }

        @Override
        public boolean isAcquired(String lock) {
            try {
                return delegate.isAcquired(lock);
            } catch (RuntimeException e) {
                throw plain(e);
            }
        }

        @Override
        public boolean delete(String lock) {
            try {
                return delegate.delete(lock);
            } catch (RuntimeException e) {
                throw plain(e);
            }
        }

        @Override
        public void deleteExpired() {
            try {
                delegate.deleteExpired();
            } catch (RuntimeException e) {
                throw plain(e);
            }
        }

        @Override
        public boolean acquire(String lock) {
            try {
                return delegate.acquire(lock);
            } catch (RuntimeException e) {
                throw plain(e);
            }
        }

        @Override
        public boolean renew(String lock) {
            try {
                return delegate.renew(lock);
            } catch (RuntimeException e) {
                throw plain(e);
            }
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
