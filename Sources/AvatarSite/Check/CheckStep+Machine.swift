import AvatarSiteContract
/// What the machine itself must offer: a folder to write, and fonts to draw initials with.
extension CheckStep {
    static let output = CheckStep("output") { state in
        OutputFolderProbe.check(state.loaded)
    }

    static let templates = CheckStep("templates") { state in
        TemplatesProbe.check(state.loaded)
    }

    static let fonts = CheckStep("fonts") { state in
        FontCoverage.check(state.configuration.placeholder)
    }
}
