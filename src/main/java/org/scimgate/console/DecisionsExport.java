package org.scimgate.console;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.scimgate.audit.DecisionQuery;
import org.scimgate.audit.DecisionView;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ContentDisposition;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The Decisions page's filtered set as a CSV download, every matching row newest first. The rows
 * are written as the database cursor reads them, so an export of the whole audit needs no memory.
 */
@Controller
class DecisionsExport {

    static final String[] HEADER = {"decision_id", "received_at", "user_name", "outcome", "http_status",
        "violation_codes", "event_type", "source", "webhook_id", "ruleset_version"};

    /**
     * Exports at once: each holds a database connection and a transaction for as long as its
     * client takes to read, and the webhook's decisions need the same pool.
     */
    static final int MAX_CONCURRENT = 2;

    private final DecisionQuery query;
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(MAX_CONCURRENT);

    DecisionsExport(DecisionQuery query) {
        this.query = query;
    }

    @GetMapping("/console/decisions.csv")
    void export(@RequestParam(required = false) String user, @RequestParam(required = false) String outcome,
                @RequestParam(required = false) String code, @RequestParam(required = false) String from,
                @RequestParam(required = false) String to, HttpServletResponse response) throws IOException {
        DecisionFilters filters = DecisionFilters.of(user, outcome, code, from, to, null);
        if (!running.tryAcquire()) {
            response.setStatus(429);
            response.setHeader(HttpHeaders.RETRY_AFTER, "30");
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(MAX_CONCURRENT + " exports are running; try again when one has finished");
            return;
        }
        try {
            write(filters, response);
        } finally {
            running.release();
        }
    }

    private void write(DecisionFilters filters, HttpServletResponse response) throws IOException {
        String stamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString().replace(":", "");
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment().filename("decisions-" + stamp + ".csv").build().toString());
        response.setHeader("X-Content-Type-Options", "nosniff");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        out.write(Csv.row(HEADER));
        query.export(filters.query(DecisionsController.PAGE_SIZE), decision -> out.write(line(decision)));
        out.flush();
    }

    private static String line(DecisionView d) {
        return Csv.row(d.decisionId().toString(), d.receivedAt().toString(), d.userName(), d.outcome(),
                Integer.toString(d.httpStatus()), codes(d.violations()), d.eventType(), d.source(), d.deliveryId(),
                d.rulesetVersion());
    }

    private static String codes(JsonNode violations) {
        List<String> codes = new ArrayList<>();
        if (violations != null) {
            violations.forEach(v -> codes.add(v.path("code").asText()));
        }
        return String.join(" ", codes);
    }
}
