extension SourceConfiguration {
    /// `source.kind`: the registration of every kind, its value in site.yml (the case) and the
    /// type that describes it (`settings`). A new kind is a case here and its type.
    public enum Kind: String, Decodable, Sendable, CaseIterable {
        case graph
        case outlookV2 = "outlook-v2"
        case ews
        case demo

        public var settings: any SourceKindSettings.Type {
            switch self {
            case .graph: GraphKind.self
            case .outlookV2: OutlookV2Kind.self
            case .ews: EWSKind.self
            case .demo: DemoKind.self
            }
        }
    }
}
