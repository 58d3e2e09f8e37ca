package org.scimgate.console;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.multipart.support.StandardServletMultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Multipart bodies are read for one URL only, the Impact page's upload, within the limits of
 * {@code spring.servlet.multipart} (256 KB a file, 1 MB a request, kept in memory). Everywhere else
 * a multipart body stays what it was before the console took uploads: a body of the wrong type.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleUploads {

    static final String UPLOAD = "/console/impact/upload";

    @Bean(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartResolver() {
        StandardServletMultipartResolver resolver = new StandardServletMultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return "POST".equals(request.getMethod())
                        && (request.getContextPath() + UPLOAD).equals(request.getRequestURI())
                        && super.isMultipart(request);
            }
        };
        resolver.setResolveLazily(true);
        return resolver;
    }
}
