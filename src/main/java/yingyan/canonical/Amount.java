package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlType;

/** One amount: a decimal string with exactly two fraction digits (yuan.fen), never a float. */
@XmlType(propOrder = {"kind", "value", "currency"})
@JsonPropertyOrder({"kind", "value", "currency"})
public final class Amount extends CanonicalValue {
    public static final String CNY = "CNY";

    private AmountKind kind;
    private String value;
    private String currency;

    Amount() {
    }

    @JsonCreator
    public Amount(@JsonProperty("kind") AmountKind kind, @JsonProperty("value") String value,
                  @JsonProperty("currency") String currency) {
        this.kind = kind;
        this.value = value;
        this.currency = currency;
    }

    public static Amount cny(AmountKind kind, String value) {
        return new Amount(kind, value, CNY);
    }

    public AmountKind kind() { return kind; }
    public String value() { return value; }
    public String currency() { return currency; }

    @Override
    Object[] fields() {
        return new Object[] {kind, value, currency};
    }

    @Override
    public String toString() { return kind + " " + value + " " + currency; }
}
