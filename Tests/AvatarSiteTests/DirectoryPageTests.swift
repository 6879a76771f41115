@testable import AvatarSite
import AvatarSiteTestSupport
import DemoTenant
import Foundation
import Testing
@testable import AvatarSiteContract

/// The directory page's files: hashed names, what each build removes, templates and branding.
@Suite struct DirectoryPageTests {
    static func demo(users: Int = 12) -> DemoTenantConfiguration {
        var demo = DemoTenantConfiguration(userCount: users, seed: 11)
        demo.photos = false
        return demo
    }

    /// Builds `demo` into `site` with `page`, as `avatar-site build` would from a site.yml in `folder`.
    static func build(_ demo: DemoTenantConfiguration, into site: URL, baseDirectory: URL,
                      configure: (inout SiteConfiguration) -> Void = { _ in }) async throws -> BuildReport {
        try await DemoTenant(configuration: demo).withRunning(logger: SiteBuildFixture.logger) { running in
            var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: site)
            configure(&configuration)
            let loaded = ConfigurationLoader.Loaded(configuration: configuration, baseDirectory: baseDirectory)
            return try await SiteBuild.run(loaded, environment: SiteBuildFixture.environment(for: demo), logger: SiteBuildFixture.logger)
        }
    }

    /// The page's hashed files in a site, as paths from its root.
    static func hashedFiles(_ site: URL) -> Set<String> {
        Set(filesBelow(site).filter { path in
            path.hasPrefix("directory.") || path.hasPrefix("assets/app.") || path.hasPrefix("assets/logo.")
        })
    }

    /// The paths `index.html` loads, in the order it names them.
    static func namedFiles(_ site: URL) throws -> [String] {
        let page = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        let pattern = try Regex(##"(?:href|src)="([^"#:]+)""##)
        return page.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) }
    }

    @Test func namesFilesByTheFirstSixteenHexDigitsOfTheirSHA256() {
        #expect(HashedName.make(stem: "app", extension: "css", data: Data()) == "app.e3b0c44298fc1c14.css")
        #expect(HashedName.make(stem: "directory", extension: "js", data: Data("abc".utf8)) == "directory.ba7816bf8f01cfea.js")
        #expect(HashedName.isOwn("directory.ba7816bf8f01cfea.js", inAssets: false))
        #expect(!HashedName.isOwn("directory.ba7816bf8f01cfea.js", inAssets: true))
        #expect(HashedName.isOwn("logo.ba7816bf8f01cfea.svg", inAssets: true) && HashedName.isOwn("app.ba7816bf8f01cfea.css", inAssets: true))
        for name in ["app.css", "app.BA7816BF8F01CFEA.css", "app.ba7816bf8f01cfe.css", "fonts.ba7816bf8f01cfea.woff2",
                     "app.ba7816bf8f01cfea.css.bak", "logo.ba7816bf8f01cfea.exe"] {
            #expect(!HashedName.isOwn(name, inAssets: true), "\(name)")
        }
    }

    /// Should remove only what neither the new page nor the one it replaces names.
    @Test func keepsWhatThePreviousPageNames() {
        let previous = #"<link href="assets/app.1111111111111111.css"><script src="directory.2222222222222222.js"></script>"#
        let present = ["assets/app.1111111111111111.css", "directory.2222222222222222.js", "directory.0000000000000000.js",
                       "assets/app.3333333333333333.css", "assets/logo.4444444444444444.png"]
        let written: Set = ["assets/app.3333333333333333.css"]
        #expect(HashedFileRetention.obsolete(present: present, written: written, previousPage: previous)
            == ["assets/logo.4444444444444444.png", "directory.0000000000000000.js"])
        #expect(HashedFileRetention.obsolete(present: present, written: written, previousPage: nil).count == 4)
    }

    /// Should write each build's files under new names, keep the previous build's (a page cached
    /// mid-deploy still loads them) and remove those of the build before, and nothing else.
    @Test func removesTheHashedFilesOfTwoBuildsAgo() async throws {
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let templates = folder.appendingPathComponent("branding")
            try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
            let foreign = ["assets/app.css", "assets/fonts.0123456789abcdef.woff2", "directory.js", "directory.0123456789abcdef.json"]
            var named = [[String]]()
            var present = [Set<String>]()
            for build in 1...4 {
                // Builds 1 to 3 each change the stylesheet; build 4 changes nothing.
                try Data(".masthead { --build: \(min(build, 3)); }\n".utf8).write(to: templates.appendingPathComponent("app.css"))
                var demo = Self.demo()
                demo.mutation.added = min(build, 3)
                let report = try await Self.build(demo, into: site, baseDirectory: folder) { configuration in
                    configuration.page.templates = "branding"
                }
                #expect(report.exitCode == 0, "\(report.failures)")
                named.append(try Self.namedFiles(site))
                present.append(Self.hashedFiles(site).subtracting(foreign))
                if build == 1 {
                    // Files the build did not write, even those that look like its own, stay.
                    for path in foreign { try Data("keep".utf8).write(to: site.appendingPathComponent(path)) }
                }
            }
            for build in 0..<4 {
                #expect(named[build].count == 3, "stylesheet, data and script: \(named[build])")
                for path in named[build] {
                    #expect(present[build].contains(path), "build \(build + 1) names \(path)")
                }
            }
            // The script (app.js) is the same in every build; the data and the stylesheet are not.
            let changing = named.map { Set($0.filter { !$0.hasPrefix("assets/app.") || $0.hasSuffix(".css") }) }
            #expect(changing[0].isDisjoint(with: changing[1]) && changing[1].isDisjoint(with: changing[2]),
                    "new users and a new stylesheet give new names")
            #expect(named[3] == named[2], "the same directory and templates give the same names")
            #expect(present[0] == Set(named[0]))
            #expect(present[1] == Set(named[0] + named[1]), "the previous build's files stay")
            #expect(present[2] == Set(named[1] + named[2]), "the files of two builds ago go")
            #expect(present[3] == Set(named[2]), "an unchanged build keeps its page's files only")
            for path in foreign {
                #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(path).path), "\(path) was not the build's")
            }
            let css = try #require(named[3].first { $0.hasSuffix(".css") })
            #expect(try String(contentsOf: site.appendingPathComponent(css), encoding: .utf8).contains("--build: 3"))
        }
    }

    /// Should render the title escaped, copy the logo under a hashed name, take the company's
    /// stylesheet and the tool's own page and script where the company's folder has none.
    @Test func brandsThePageWithTitleLogoAndTemplates() async throws {
        try await withTemporaryDirectory { folder in
            let site = folder.appendingPathComponent("site")
            let branding = folder.appendingPathComponent("branding")
            try FileManager.default.createDirectory(at: branding, withIntermediateDirectories: true)
            let css = Data(".masthead { background: #036; }\n".utf8)
            try css.write(to: branding.appendingPathComponent("app.css"))
            let logo = TestImages.png(width: 64, height: 64, left: (0, 51, 102), right: (255, 255, 255))
            try logo.write(to: branding.appendingPathComponent("Logo.PNG"))
            let report = try await Self.build(Self.demo(), into: site, baseDirectory: folder) { configuration in
                configuration.page.title = #"<b>Acme</b> & "Sons""#
                configuration.page.logo = "branding/Logo.PNG"
                configuration.page.templates = "branding"
            }
            #expect(report.exitCode == 0)
            let page = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
            #expect(page.contains("<title>&lt;b&gt;Acme&lt;/b&gt; &amp; &quot;Sons&quot;</title>"))
            #expect(!page.contains("<b>Acme"))
            let logoPath = "assets/" + HashedName.make(stem: "logo", extension: "png", data: logo)
            #expect(page.contains(#"<img class="logo" src="\#(logoPath)""#))
            #expect(try Data(contentsOf: site.appendingPathComponent(logoPath)) == logo)
            let named = try Self.namedFiles(site)
            #expect(named.contains("assets/" + HashedName.make(stem: "app", extension: "css", data: css)))
            // The tool's own script ships as templates/page/app-*.js joined in name order.
            let pageFolder = PythonCheck.repositoryRoot.appendingPathComponent("templates/page")
            let parts = try FileManager.default.contentsOfDirectory(atPath: pageFolder.path)
                .filter { $0.hasPrefix("app-") && $0.hasSuffix(".js") }.sorted()
            let shippedScript = try parts.reduce(into: Data()) { script, name in
                script.append(try Data(contentsOf: pageFolder.appendingPathComponent(name)))
            }
            #expect(named.contains("assets/" + HashedName.make(stem: "app", extension: "js", data: shippedScript)))
            let count = try SiteFiles.usersDocument(in: site).value.count
            #expect(page.contains(">\(count) people<"))
        }
    }

    /// Should stop before any request, with a configuration error that names the file and says
    /// what is wrong, when the page's templates or logo are broken.
    @Test(arguments: [
        ("index.html", "<title>{{title}}</title>\n{{#logo}}<img src=\"{{logo}}\">", "index.html:2", "never closed"),
        ("index.html", "<script src=\"{{data_scrpit}}\"></script>{{script}}{{stylesheet}}", "index.html:", "{{data_scrpit}}"),
        ("index.html", "<link href=\"{{stylesheet}}\"><script src=\"{{script}}\"></script>", "index.html:", "{{data_script}}"),
        ("Logo.png", "GIF89a not a png", "site.yml: page.logo:", "not a PNG image"),
    ])
    func brokenTemplatesStopTheBuildBeforeAnyRequest(file: String, content: String, location: String, reason: String) async throws {
        try await withTemporaryDirectory { folder in
            let branding = folder.appendingPathComponent("branding")
            try FileManager.default.createDirectory(at: branding, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: branding.appendingPathComponent(file))
            let demo = Self.demo()
            let tenant = DemoTenant(configuration: demo)
            let site = folder.appendingPathComponent("site")
            let error = await #expect(throws: BuildError.self) {
                try await tenant.withRunning(logger: SiteBuildFixture.logger) { running in
                    var configuration = SiteBuildFixture.configuration(for: running, demo: demo, outputDirectory: site)
                    configuration.page.templates = "branding"
                    if file.hasPrefix("Logo") { configuration.page.logo = "branding/\(file)" }
                    let loaded = ConfigurationLoader.Loaded(configuration: configuration, baseDirectory: folder)
                    return try await SiteBuild.run(loaded, environment: SiteBuildFixture.environment(for: demo), logger: SiteBuildFixture.logger)
                }
            }
            #expect(error?.exitCode == 2)
            let message = error?.localizedDescription ?? ""
            #expect(message.contains(location) && message.contains(reason), "\(message)")
            if !file.hasPrefix("Logo") { #expect(message.contains(branding.appendingPathComponent(file).path), "\(message)") }
            #expect(tenant.requestsByRoute.isEmpty, "\(tenant.requestsByRoute)")
            #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("users.json").path))
        }
    }

    @Test func aMissingTemplateFolderOrLogoIsAConfigurationError() throws {
        var page = PageConfiguration()
        page.templates = "/nonexistent/branding"
        #expect(throws: ConfigurationError(keyPath: "page.templates", line: nil, reason: "/nonexistent/branding is not a folder",
                                           file: "site.yml")) { try PageDesign.load(page) }
        page.templates = nil
        page.logo = "/nonexistent/logo.svg"
        let error = #expect(throws: ConfigurationError.self) { try PageDesign.load(page) }
        #expect(error?.keyPath == "page.logo" && error?.reason.contains("cannot read the logo") == true)
    }

    @Test func readsThePageSection() throws {
        let configuration = try ConfigurationLoader.parse("page: { title: Staff, logo: brand/logo.svg, templates: brand/page }\n")
        #expect(configuration.page.title == "Staff")
        let resolved = configuration.page.resolvingPaths(against: URL(fileURLWithPath: "/etc/avatar-site"))
        #expect(resolved.logo == "/etc/avatar-site/brand/logo.svg" && resolved.templates == "/etc/avatar-site/brand/page")
        #expect(try ConfigurationLoader.parse("").page == PageConfiguration())
        #expect(PageConfiguration().title == "People")
    }
}
