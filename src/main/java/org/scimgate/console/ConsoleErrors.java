package org.scimgate.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.server.ResponseStatusException;

/**
 * A console page asked with a parameter it cannot use (a time in another format, an id that is no id, a cursor it
 * never gave out) or for a decision there is none of: an HTML page that says so, in the console's frame, instead of
 * the JSON problem the API answers.
 */
@ControllerAdvice(assignableTypes = {ConsoleController.class, DecisionsController.class, DecisionsExport.class,
        PolicyPageController.class, OutboxPageController.class, ImpactPageController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {

    private final ConsoleModel header;

    ConsoleErrors(ConsoleModel header) {
        this.header = header;
    }

    @ExceptionHandler(BadParameter.class)
    String badParameter(BadParameter e, HttpServletRequest request, HttpServletResponse response, Model model) {
        return page(HttpStatus.BAD_REQUEST, e.getMessage(), request, response, model);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    String mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request, HttpServletResponse response,
                    Model model) {
        String what = e.getRequiredType() == java.util.UUID.class ? "a decision id (a UUID)" : "a "
                + (e.getRequiredType() == null ? "value" : e.getRequiredType().getSimpleName()) + " value";
        return page(HttpStatus.BAD_REQUEST, "'" + e.getValue() + "' is not " + what + ", as " + e.getName()
                + " must be.", request, response, model);
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    String missing(MissingServletRequestParameterException e, HttpServletRequest request, HttpServletResponse response,
                   Model model) {
        return page(HttpStatus.BAD_REQUEST, "This page needs the parameter " + e.getParameterName() + ".", request,
                response, model);
    }

    @ExceptionHandler(ResponseStatusException.class)
    String status(ResponseStatusException e, HttpServletRequest request, HttpServletResponse response, Model model) {
        HttpStatus status = HttpStatus.resolve(e.getStatusCode().value());
        return page(status == null ? HttpStatus.INTERNAL_SERVER_ERROR : status,
                e.getReason() == null ? "That did not work." : e.getReason(), request, response, model);
    }

    private String page(HttpStatus status, String message, HttpServletRequest request, HttpServletResponse response,
                        Model model) {
        response.setStatus(status.value());
        // An exception handler's model starts empty: the header's attributes are added here.
        org.springframework.security.core.Authentication signedIn =
                request.getUserPrincipal() instanceof org.springframework.security.core.Authentication a ? a : null;
        model.addAttribute("role", header.role(signedIn));
        model.addAttribute("person", header.person(signedIn));
        model.addAttribute("refusedReload", header.refusedReload());
        model.addAttribute("refusedShadowReload", header.refusedShadowReload());
        model.addAttribute("liveVersion", header.liveVersion());
        model.addAttribute("status", status.value() + " " + status.getReasonPhrase());
        model.addAttribute("message", message);
        return "console/problem";
    }
}
