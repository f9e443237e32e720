/**
 * The canonical supervision record, v1 (docs/contracts/canonical-model.md): types, bindings and
 * validation. Depends on nothing else in the hub.
 */
@XmlSchema(namespace = CanonicalRecord.XML_NAMESPACE, elementFormDefault = XmlNsForm.QUALIFIED)
@XmlJavaTypeAdapter(value = OffsetDateTimeXmlAdapter.class, type = OffsetDateTime.class)
package yingyan.canonical;

import jakarta.xml.bind.annotation.XmlNsForm;
import jakarta.xml.bind.annotation.XmlSchema;
import jakarta.xml.bind.annotation.adapters.XmlJavaTypeAdapter;
import java.time.OffsetDateTime;
