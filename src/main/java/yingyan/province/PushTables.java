package yingyan.province;

/**
 * The tables of one push's ledger, so that the same filing and reading serve record batches and alert batches
 * (docs/contracts/province.md §3: the same answers and handling, each push its own ledger). Constants only:
 * they are written into SQL.
 *
 * @param delivery the ledger of items (one row per record version / alert event)
 * @param item     the column naming the item as the province's answer does (record id / alert id)
 * @param batch    the batches, with their exact bodies
 * @param count    the batch table's column of items per batch
 * @param answerId the field a rejection in the province's answer names its item by
 */
record PushTables(String delivery, String item, String batch, String count, String answerId) {
    static final PushTables RECORDS = new PushTables("province_delivery", "record_id", "province_batch",
            "record_count", "recordId");
    static final PushTables ALERTS = new PushTables("province_alert_delivery", "alert_id", "province_alert_batch",
            "alert_count", "alertId");
}
