package yingyan.canonical;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlTransient;
import java.util.Arrays;

/**
 * What the canonical value types share: JSON and XML bind their fields (the accessors are not bean getters),
 * and two values are equal when their fields are, so each type lists its fields once ({@link #fields}) rather
 * than again in {@code equals} and {@code hashCode}. Not itself bound: JAXB skips it, Jackson sees no field.
 * Both binding annotations are inherited by the subclasses.
 */
@XmlTransient
@XmlAccessorType(XmlAccessType.FIELD)
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = JsonAutoDetect.Visibility.NONE)
abstract class CanonicalValue {
    /** Every field of the value, in schema order; equality and the hash are theirs. */
    abstract Object[] fields();

    @Override
    public final boolean equals(Object o) {
        return o != null && o.getClass() == getClass() && Arrays.equals(fields(), ((CanonicalValue) o).fields());
    }

    /** As {@code Objects.hash} of the fields. */
    @Override
    public int hashCode() {
        return Arrays.hashCode(fields());
    }
}
