package org.scimgate.console;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.scimgate.impact.ImpactAnalysis;
import org.scimgate.policy.RulesetRejected;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartFile;

/**
 * Impact: a candidate (changed files pasted or uploaded over the live rules) replayed on a period
 * of the audit, as {@code POST /api/v1/policy/impact} does; the report shows the flips per rule and
 * the decisions that would change. Nothing is recorded and the live rules are not touched.
 */
@Controller
class ImpactPageController {

    static final List<String> PERIODS = List.of("24h", "7d", "30d", "90d");
    static final int FILES = 3;
    /** Where an upload too large to read lands (see ConsoleUploads); also the message it shows. */
    static final String TOO_LARGE = "The upload is too large: each file may have at most 256 KB and all of them "
            + "1 MB together. Nothing was replayed.";

    private final ImpactAnalysis analysis;
    private final LiveRuleFiles live;

    ImpactPageController(ImpactAnalysis analysis, LiveRuleFiles live) {
        this.analysis = analysis;
        this.live = live;
    }

    /** A changed file's diff against the live one; {@code added} when no live file has its path. */
    record FileDiff(String path, boolean added, List<LineDiff.Line> lines) {
    }

    @GetMapping("/console/impact")
    String impact(Model model) {
        return page(model, "30d", List.of(), List.of());
    }

    /**
     * Replays the pasted files; or, when a slot's "Start from the live file" was pressed ({@code load}: its number),
     * fills that slot with the live file at its path and replays nothing.
     */
    @PostMapping("/console/impact")
    String replay(@RequestParam(defaultValue = "30d") String since,
                  @RequestParam(name = "path", required = false) List<String> paths,
                  @RequestParam(name = "content", required = false) List<String> contents,
                  @RequestParam(required = false) Integer load, Model model)
            throws IOException, SQLException {
        List<String> p = paths == null ? List.of() : paths;
        List<String> c = contents == null ? List.of() : contents;
        if (load != null) {
            return startFromLive(model, since, load, p, c);
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 0; i < Math.min(p.size(), c.size()); i++) {
            if (!p.get(i).isBlank()) {
                files.put(p.get(i).strip(), c.get(i).replace("\r\n", "\n"));
            }
        }
        return run(model, since, files, p, c);
    }

    /** The same replay with the files uploaded; a path left blank is the file's own name. */
    @PostMapping("/console/impact/upload")
    String upload(@RequestParam(defaultValue = "30d") String since,
                  @RequestParam(name = "path", required = false) List<String> paths,
                  @RequestParam(name = "file", required = false) List<MultipartFile> uploads, Model model)
            throws IOException, SQLException {
        List<String> p = new ArrayList<>();
        List<String> c = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        List<MultipartFile> u = uploads == null ? List.of() : uploads;
        for (int i = 0; i < u.size(); i++) {
            MultipartFile file = u.get(i);
            if (file.isEmpty()) {
                continue;
            }
            String given = paths != null && i < paths.size() ? paths.get(i).strip() : "";
            String path = given.isEmpty() ? String.valueOf(file.getOriginalFilename()).strip() : given;
            String content;
            try {
                content = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(file.getBytes())).toString().replace("\r\n", "\n");
            } catch (CharacterCodingException e) {
                model.addAttribute("problem", path + " is not UTF-8 text; upload DRL, CSV or YAML files.");
                return page(model, since, p, c);
            }
            files.put(path, content);
            p.add(path);
            c.add(content);
        }
        return run(model, since, files, p, c);
    }

    /** Forwarded here by the security chain when the upload was too large to read its CSRF token. */
    @RequestMapping("/console/impact/too-large")
    @ResponseStatus(HttpStatus.PAYLOAD_TOO_LARGE)
    String tooLarge(Model model) {
        model.addAttribute("problem", TOO_LARGE);
        return page(model, "30d", List.of(), List.of());
    }

    @ExceptionHandler(MultipartException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String unreadableUpload(MultipartException e, Model model) {
        model.addAttribute("problem", e instanceof org.springframework.web.multipart.MaxUploadSizeExceededException
                ? TOO_LARGE : "The upload could not be read as a form with files. Nothing was replayed.");
        return page(model, "30d", List.of(), List.of());
    }

    private String run(Model model, String since, Map<String, String> files, List<String> p, List<String> c)
            throws IOException, SQLException {
        String period = PERIODS.contains(since) ? since : "30d";
        if (files.isEmpty()) {
            model.addAttribute("problem", "Paste or upload at least one changed file with its path under the rules directory.");
            return page(model, period, p, c);
        }
        try {
            model.addAttribute("report", analysis.run(period, null, null, files));
            model.addAttribute("diffs", diffs(files));
        } catch (RulesetRejected e) {
            model.addAttribute("problem", "The candidate was refused; nothing was replayed.");
            model.addAttribute("errors", e.problems().stream().map(Object::toString).toList());
        } catch (IllegalArgumentException | ImpactAnalysis.Busy e) {
            model.addAttribute("problem", e.getMessage());
        }
        return page(model, period, p, c);
    }

    private String startFromLive(Model model, String since, int slot, List<String> paths, List<String> contents) {
        if (slot < 1 || slot > FILES) {
            throw new BadParameter("There is no changed file " + slot + "; there are " + FILES + ".");
        }
        List<String> p = new ArrayList<>(paths);
        List<String> c = new ArrayList<>(contents);
        while (p.size() < FILES) {
            p.add("");
        }
        while (c.size() < FILES) {
            c.add("");
        }
        String path = p.get(slot - 1).strip();
        java.util.Optional<String> text = live.read(path);
        if (text.isPresent()) {
            c.set(slot - 1, text.get());
        } else {
            model.addAttribute("problem", path.isEmpty()
                    ? "Choose the path of a live file for changed file " + slot + " first."
                    : "There is no live file " + path + " to start from; the live files are listed under Path.");
        }
        model.addAttribute("editing", slot);
        return page(model, since, p, c);
    }

    /** Each changed file against the live one, in the order given. */
    private List<FileDiff> diffs(Map<String, String> files) {
        List<FileDiff> diffs = new ArrayList<>();
        files.forEach((path, content) -> {
            java.util.Optional<String> before = live.read(path);
            diffs.add(new FileDiff(path, before.isEmpty(), LineDiff.of(before.orElse(""), content)));
        });
        return diffs;
    }

    private String page(Model model, String since, List<String> paths, List<String> contents) {
        model.addAttribute("liveFiles", live.paths());
        model.addAttribute("periods", PERIODS);
        model.addAttribute("since", PERIODS.contains(since) ? since : "30d");
        List<Map<String, String>> slots = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            slots.add(Map.of("path", i < paths.size() ? paths.get(i) : "",
                    "content", i < contents.size() ? contents.get(i) : ""));
        }
        model.addAttribute("slots", slots);
        return "console/impact";
    }
}
