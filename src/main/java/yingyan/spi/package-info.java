/**
 * All an adapter may use of the hub (with {@code yingyan.canonical}, the model it maps to); {@code ArchitectureTest}
 * fails the build when an adapter imports anything else of {@code yingyan}, another adapter included.
 * <ul>
 * <li>What it reads and maps: {@link yingyan.spi.SourceItem}, {@link yingyan.spi.SourceMapper} with its
 *     {@link yingyan.spi.MappingContext}.</li>
 * <li>Handing items over: {@link yingyan.spi.IngestGateway} and its {@link yingyan.spi.IngestOutcome}; what
 *     cannot become an item goes to the {@link yingyan.spi.Quarantine}.</li>
 * <li>Where it is in its source: {@link yingyan.spi.Watermarks} (positions), {@link yingyan.spi.ProcessedFiles}
 *     (file drops), {@link yingyan.spi.StoredHashes} and {@link yingyan.spi.ReconciliationLog}
 *     (a reconciliation against the source).</li>
 * <li>Running: {@link yingyan.spi.PollingSource} (or {@link yingyan.spi.SincePagedSource} for an "updated since,
 *     page N" query) on a {@link yingyan.spi.PollingSourceRoute}, reporting to the
 *     {@link yingyan.spi.AdapterMonitor}; {@link yingyan.spi.Backfillable} and
 *     {@link yingyan.spi.DoneFolderBackfill} for backfill; a file drop's routes on a
 *     {@link yingyan.spi.DropFolderRoute}.</li>
 * <li>Reading HTTP sources: {@link yingyan.spi.HttpRetry} (retries, Retry-After, backoff), {@link yingyan.spi.RequestPacer}
 *     (a source's rate limit), {@link yingyan.spi.HttpSourceSettings} (shared settings checks); mapping JSON with
 *     {@link yingyan.spi.ExactJson}, {@link yingyan.spi.MappingProblems} (every problem of an item) and
 *     {@link yingyan.spi.CodeTable} (a source's words to ours).</li>
 * <li>The quick start's stand-in for a department: a {@link yingyan.spi.DemoServer} listening through
 *     {@link yingyan.spi.DemoStandIn}.</li>
 * <li>Reading safely: {@link yingyan.spi.JsonPages}, {@link yingyan.spi.BoundedBody},
 *     {@link yingyan.spi.DropFolderGuard}, {@link yingyan.spi.Payloads} (hashes), {@link yingyan.spi.CamelUris},
 *     {@link yingyan.spi.HttpUrls}.</li>
 * </ul>
 * The ports are implemented by the hub ({@code ingest}, {@code store}, {@code quarantine}); this package depends
 * on the canonical model only.
 */
package yingyan.spi;
