import Foundation

/// The site.yml `avatar-site init` writes: every key the kind reads, at its default, each with
/// a comment. Keys and values come from the configuration types themselves (their `CodingKeys`
/// and a default `SiteConfiguration`), so the template cannot drift from what the loader reads.
public enum ConfigurationTemplate {
    /// Where `init` puts it.
    public static let fileName = "site.yml"
    /// What a template for `kind` leaves out, as key paths: sections that kind never reads.
    static func omittedKeyPaths(for kind: SourceConfiguration.Kind) -> Set<String> {
        kind.settings.omittedKeyPaths
    }

    /// The text of site.yml for `kind`.
    public static func text(for kind: SourceConfiguration.Kind) -> String {
        let defaults = SiteConfiguration()
        let omitted = omittedKeyPaths(for: kind)
        var yaml = TemplateWriter()
        yaml.comment("""
            avatar-site configuration for source.kind \(kind.rawValue), written by avatar-site \(AvatarSiteVersion.current) init.
            Every key is at its default; delete the ones you leave alone. README.md explains each.
            Try it without writing anything:  avatar-site check --config site.yml
            """)
        yaml.section(SiteConfiguration.CodingKeys.source, "Where the directory comes from, and how hard to push it.") { yaml in
            source(kind, defaults.source, omitted: omitted, into: &yaml)
        }
        yaml.key(SiteConfiguration.CodingKeys.sizes, .list(defaults.sizes.map(\.description)),
                 "Square sizes written for every user (Graph's HD sizes), sides 1 to \(PhotoSize.maximumSide).")
        yaml.key(SiteConfiguration.CodingKeys.formats, .list(defaults.formats.map(\.rawValue)),
                 "jpeg is always written; add webp for .webp siblings.")
        yaml.section(SiteConfiguration.CodingKeys.imaging, "Encoders, and the limit that keeps hostile photos out.") { yaml in
            typealias Keys = ImagingConfiguration.CodingKeys
            let imaging = defaults.imaging
            yaml.key(Keys.jpegQuality, .number(imaging.jpegQuality), "JPEG quality, 1 to 100.")
            yaml.key(Keys.webpQuality, .number(imaging.webpQuality), "WebP quality, 1 to 100 (with formats: [webp]).")
            yaml.key(Keys.maxPixels, .number(imaging.maxPixels), "Photos whose header claims more pixels are refused before decoding.")
        }
        yaml.section(SiteConfiguration.CodingKeys.placeholder, "The initials drawn for users without a photo.") { yaml in
            typealias Keys = PlaceholderConfiguration.CodingKeys
            let placeholder = defaults.placeholder
            yaml.key(Keys.palette, .list(placeholder.palette.map(\.description)),
                     "Background colours, each with 4.5:1 contrast against foreground (WCAG AA); the user's id picks one.")
            yaml.key(Keys.foreground, .string(placeholder.foreground.description), "The initials' colour.")
            yaml.key(Keys.shape, .string(placeholder.shape.rawValue), "square or circle (circles also get a .png with transparent corners).")
            yaml.key(Keys.cornerColor, .string(placeholder.cornerColor.description), "What a circle's corners show in the JPEG.")
            yaml.key(Keys.fonts, .list(placeholder.fonts),
                     "fontconfig patterns tried first; DejaVu Sans Bold and a bold Noto face per script follow.")
        }
        yaml.section(SiteConfiguration.CodingKeys.output, "The folder the site is written to.") { yaml in
            typealias Keys = OutputConfiguration.CodingKeys
            let output = defaults.output
            yaml.key(Keys.dir, .string(output.dir), "Relative paths are taken from the folder that holds this file.")
            yaml.key(Keys.publicFields, .list(output.publicFields), "The only directory fields written anywhere.")
            yaml.key(Keys.page, .bool(output.page), "Write index.html, the offline directory page.")
            yaml.key(Keys.aliases, .list(output.aliases.map(\.rawValue)),
                     "userPrincipalName and/or mail: the hosted URLs also answer /users/{address}/photo.")
            yaml.key(Keys.maxDeletions, .string(describe(output.maxDeletions)),
                     "How many users one build may remove: a count, or a percentage of the published ones.")
            yaml.optional(Keys.stateDir, example: ".avatar-site",
                          "The build's state, lock and staging; by default .avatar-site inside dir, on the same file system.")
            yaml.optional(Keys.metricsFile, example: "/var/lib/node_exporter/textfile_collector/avatar-site.prom",
                          "Prometheus metrics written after every build, for node_exporter's textfile collector; --metrics-file wins.")
        }
        yaml.section(SiteConfiguration.CodingKeys.hosting, "What the host configs in hosting/ say.") { yaml in
            typealias Keys = HostingConfiguration.CodingKeys
            let hosting = defaults.hosting
            yaml.optional(Keys.root, example: "/srv/avatars",
                          "The folder the web server reads the site from; by default the output folder's absolute path.")
            yaml.key(Keys.prefixes, .list(hosting.prefixes), "Graph's version prefixes also answered (/v1.0/users/{id}/photo).")
            yaml.key(Keys.cacheControl, .string(hosting.cacheControl),
                     "Cache-Control of photos and metadata: max-age at most a day, never immutable.")
            yaml.key(Keys.gravatar, .bool(hosting.gravatar), "Answer Gravatar's /avatar/{md5 or sha256 of the mail}?s= paths.")
        }
        yaml.section(SiteConfiguration.CodingKeys.page, "How the directory page (index.html) is branded.") { yaml in
            typealias Keys = PageConfiguration.CodingKeys
            yaml.key(Keys.title, .string(defaults.page.title), "The page's title and heading.")
            yaml.optional(Keys.logo, example: "logo.svg", "An image shown beside the title (png, jpg, gif, webp or svg).")
            yaml.optional(Keys.templates, example: "page-templates",
                          "A folder with your own index.html, app.css or app.js; files it lacks are the tool's.")
        }
        return yaml.text
    }

    private static func source(_ kind: SourceConfiguration.Kind, _ defaults: SourceConfiguration, omitted: Set<String>,
                               into yaml: inout TemplateWriter) {
        typealias Keys = SourceConfiguration.CodingKeys
        func included(_ key: Keys) -> Bool { !omitted.contains("source.\(key.rawValue)") }
        var source = defaults
        source.kind = kind
        yaml.key(Keys.kind, .string(kind.rawValue), SourceConfiguration.Kind.allCases.map(\.rawValue).joined(separator: " | "))
        let baseURL = kind.settings.exampleBaseURL
        if included(.baseURL) {
            yaml.key(Keys.baseURL, .string(baseURL), kind.settings.baseURLComment)
        }
        if included(.usersFile) {
            if kind.settings.listsUsers {
                yaml.optional(Keys.usersFile, example: "users.csv", "CSV or JSON of users: restricts the build to those it names.")
            } else {
                yaml.key(Keys.usersFile, .string("users.csv"),
                         "Required: CSV (with a header) or JSON of the users, a mail column at least; \(kind.rawValue) cannot list them.")
            }
        }
        if included(.ews) {
            yaml.section(Keys.ews, "How to speak Exchange Web Services.") { yaml in
                yaml.key(EWSConfiguration.CodingKeys.api, .string(source.ews.api.rawValue),
                         "rest (GetUserPhoto over GET, 304 when unchanged) or soap.")
            }
        }
        if included(.auth) {
            yaml.section(Keys.auth, "How requests prove who they are. Secrets live in environment variables, never here.") { yaml in
                auth(source.auth, baseURL: baseURL, into: &yaml)
            }
        }
        if included(.users) {
            yaml.section(Keys.users, "Which users the listing asks for.") { yaml in
                typealias UserKeys = UserQueryConfiguration.CodingKeys
                yaml.key(UserKeys.filter, .string(source.users.filter ?? ""), "OData $filter of the listing (\"\" for none).")
                yaml.key(UserKeys.fields, .list(source.users.fields),
                         "$select; id, the name fields and output.public_fields are always added.")
                yaml.key(UserKeys.pageSize, .number(source.users.pageSize), "$top of each listing page (999 is Graph's maximum).")
                yaml.key(UserKeys.limit, .number(source.users.limit), "The most users a listing may hold; past it the listing is taken for a loop.")
            }
        }
        if included(.upload) {
            yaml.section(Keys.upload, "How avatar-site upload sets photos.") { yaml in
                yaml.key(UploadConfiguration.CodingKeys.method, .string(source.upload.method.rawValue),
                         "put or patch (Graph takes both; the Outlook API always gets PATCH).")
            }
        }
        yaml.key(Keys.concurrency, .string(source.concurrency.description),
                 "auto (start at 8, grow while throughput rises, back off on 429/503) or a fixed number of requests in flight.")
        yaml.key(Keys.maxConcurrency, .number(source.maxConcurrency), "The most requests in flight auto may reach.")
        yaml.key(Keys.timeoutSeconds, .number(source.timeoutSeconds), "Per request, head and body together.")
        yaml.key(Keys.retries, .number(source.retries), "Retries after 429, 503, 504 or a broken connection.")
        yaml.key(Keys.maxPhotoBytes, .number(source.maxPhotoBytes), "Larger photo bodies are refused.")
        if included(.demo) {
            yaml.section(Keys.demo, "The embedded demo tenant: synthetic users served on 127.0.0.1.") { yaml in
                typealias DemoKeys = DemoConfiguration.CodingKeys
                yaml.key(DemoKeys.users, .number(source.demo.users), "Synthetic users.")
                yaml.key(DemoKeys.latencyMilliseconds, .number(source.demo.latencyMilliseconds), "Latency added to every answer.")
                yaml.key(DemoKeys.seed, .number(source.demo.seed), "Seed of the synthetic directory.")
                yaml.key(DemoKeys.hostileUsers, .bool(source.demo.hostileUsers),
                         "Add users built to attack the tool (path-like ids, script tags, bomb photos).")
                yaml.key(DemoKeys.photos, .bool(source.demo.photos), "false: nobody has a photo, everyone gets a placeholder.")
            }
        }
    }

    private static func auth(_ auth: AuthConfiguration, baseURL: String, into yaml: inout TemplateWriter) {
        typealias Keys = AuthConfiguration.CodingKeys
        yaml.key(Keys.kind, .string(auth.kind.rawValue), "client_credentials (Entra ID), basic (EWS on premises) or bearer.")
        yaml.key(Keys.tenant, .string(auth.tenant), "Your Directory (tenant) ID or its domain.")
        yaml.key(Keys.clientID, .string(auth.clientID), "The app registration's Application (client) ID.")
        yaml.key(Keys.clientSecretEnv, .string(auth.clientSecretEnv), "The variable holding the client secret's value.")
        yaml.key(Keys.usernameEnv, .string(auth.usernameEnv), "For basic: the variable holding the user name.")
        yaml.key(Keys.passwordEnv, .string(auth.passwordEnv), "For basic: the variable holding the password.")
        yaml.key(Keys.tokenEnv, .string(auth.tokenEnv), "For bearer: the variable holding the access token.")
        yaml.key(Keys.authority, .string(auth.authority),
                 "Entra ID's sign-in host; a national cloud has its own, such as https://login.microsoftonline.us.")
        yaml.optional(Keys.tokenURL, example: auth.effectiveTokenURL, "By default {authority}/{tenant}/oauth2/v2.0/token.")
        yaml.optional(Keys.scope, example: auth.effectiveScope(baseURL: baseURL),
                      "By default {scheme}://{host of base_url}/.default.")
    }

    /// `5%` or `50`, as site.yml writes it.
    static func describe(_ limit: DeletionLimit) -> String {
        switch limit {
        case .count(let count): String(count)
        case .percent(let percent):
            (percent.rounded() == percent ? String(Int(percent)) : String(percent)) + "%"
        }
    }
}
