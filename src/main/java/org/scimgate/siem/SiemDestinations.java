package org.scimgate.siem;

import java.util.List;
import org.springframework.stereotype.Component;

/** Each sink the relay delivers to and where its records go, for the console to show. */
@Component
public class SiemDestinations {

    /**
     * A sink by its configured name ({@code default} for the single sink), its format's name, and its
     * destination: a file or an address without credentials.
     */
    public record Destination(String name, String sink, String destination) {
    }

    private final List<Destination> destinations;

    SiemDestinations(SiemSinks sinks) {
        this.destinations = sinks.all().stream()
                .map(s -> new Destination(s.name(), s.sink().name(), s.sink().destination())).toList();
    }

    public List<Destination> all() {
        return destinations;
    }
}
