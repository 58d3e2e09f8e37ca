package org.scimgate.siem;

import java.util.List;
import org.springframework.stereotype.Component;

/** Each sink the relay delivers to and where its records go, for the console to show. */
@Component
public class SiemDestinations {

    /** A sink by its format's name, and its destination: a file or an address without credentials. */
    public record Destination(String sink, String destination) {
    }

    private final List<Destination> destinations;

    SiemDestinations(List<SiemSink> sinks) {
        this.destinations = sinks.stream().map(s -> new Destination(s.name(), s.destination())).toList();
    }

    public List<Destination> all() {
        return destinations;
    }
}
