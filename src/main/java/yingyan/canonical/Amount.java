package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlType;
import java.util.Objects;

/** One amount: a decimal string with exactly two fraction digits (yuan.fen), never a float. */
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
@XmlType(propOrder = {"kind", "value", "currency"})
@JsonPropertyOrder({"kind", "value", "currency"})
public final class Amount {
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
    public boolean equals(Object o) {
        return o instanceof Amount a && kind == a.kind && Objects.equals(value, a.value)
                && Objects.equals(currency, a.currency);
    }

    @Override
    public int hashCode() { return Objects.hash(kind, value, currency); }

    @Override
    public String toString() { return kind + " " + value + " " + currency; }
}
