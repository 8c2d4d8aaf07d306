package com.vibecraft.pipeline.config;

import com.vibecraft.pipeline.api.WebAssets;
import org.apache.camel.BindToRegistry;
import org.apache.camel.Configuration;

/** The web page served at {@code GET /}. */
@Configuration
public class WebConfiguration {

    @BindToRegistry(lazy = true)
    public WebAssets webAssets() {
        return new WebAssets();
    }
}
