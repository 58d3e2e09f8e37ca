package org.scimgate.console;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * What the SIEM has not received: pending and DEAD records with the SIEM's last answer. An
 * operator re-drives a DEAD record through the same database function the outbox API uses
 * ({@code siem_outbox_redrive}); the security chain refuses that POST to an analyst.
 */
@Controller
class OutboxPageController {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPageController.class);
    private static final int SHOWN = 100;

    private final JdbcClient jdbc;

    OutboxPageController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Row(UUID decisionId, String status, int attempts, Instant createdAt, Instant nextAttemptAt,
               String lastError) {
    }

    @GetMapping("/console/outbox")
    String outbox(Model model) {
        model.addAttribute("dead", rows("DEAD"));
        model.addAttribute("pending", rows("PENDING"));
        model.addAttribute("deadCount", count("DEAD"));
        model.addAttribute("pendingCount", count("PENDING"));
        return "console/outbox";
    }

    @PostMapping("/console/outbox/{decisionId}/redrive")
    String redrive(@PathVariable UUID decisionId, Authentication who, RedirectAttributes flash) {
        boolean redriven = Boolean.TRUE.equals(jdbc.sql("SELECT siem_outbox_redrive(?)").param(decisionId)
                .query(Boolean.class).single());
        if (redriven) {
            LOG.info("Outbox record {} re-driven from the console by the {} role", decisionId, who.getName());
        }
        flash.addFlashAttribute("message", redriven ? "Re-driven " + decisionId + ": it is pending again."
                : "No DEAD record " + decisionId + " (already re-driven?).");
        return "redirect:/console/outbox";
    }

    private List<Row> rows(String status) {
        // ORDER BY created_at within one status: the partial indexes siem_outbox_dead / _due_order.
        return jdbc.sql("""
                SELECT decision_id, status, attempts, created_at, next_attempt_at, last_error
                FROM siem_outbox WHERE status = :status ORDER BY created_at LIMIT :limit
                """).param("status", status).param("limit", SHOWN)
                .query((rs, n) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                        rs.getTimestamp(4).toInstant(), rs.getTimestamp(5).toInstant(), rs.getString(6)))
                .list();
    }

    private long count(String status) {
        return jdbc.sql("SELECT count(*) FROM siem_outbox WHERE status = ?").param(status).query(Long.class).single();
    }
}
