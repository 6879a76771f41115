import Foundation
import Logging
import SiteTemplates
import AvatarSiteContract
import AvatarSiteImaging
import AvatarSiteSources

extension BuildPipeline {
    /// Checks the departures against `output.max_deletions`, then publishes in the order
    /// `SitePublisher` documents, with the index, the page and the state as artifacts.
    func publish(_ tally: inout BuildTally, site: PublishedSite, fingerprints: SettingsFingerprints,
                 publisher: SitePublisher, design: PageDesign?) throws(BuildError) {
        // What publishing would really remove: every folder under users/ the new index does not
        // list, whether or not the old index (which may be gone) listed it. Folders an earlier
        // build already took out of its index and could not remove were counted by that build.
        let present: [FileName]
        do {
            present = try SafeRemoval.names(in: layout.usersFolder)
        } catch {
            publisher.discardStaging()
            throw .site(error)
        }
        let departures = Departures(present: present, listed: Set(tally.entries.map(\.id)), pending: site.state.pendingRemoval)
        let verdict = DeletionGuard.verdict(departures: departures, present: present.count, publishedBefore: site.publishedCount,
                                            limit: configuration.output.maxDeletions, allowDeletions: options.allowDeletions)
        if case .tooMany(let removing, let allowed, let published) = verdict {
            publisher.discardStaging()
            throw .tooManyDeletions(removing: removing, allowed: allowed, published: published)
        }
        let page: DirectoryPageArtifacts
        do {
            let index = try UsersIndex.encode(tally.entries, sizes: configuration.sizes)
            page = pageArtifacts(tally.entries, design: design)
            let hosting = try hostingArtifacts(tally.entries)
            let published = try publisher.publish(
                staged: tally.staged, index: SiteArtifact(layout.usersIndex, index), departures: departures,
                artifacts: page.artifacts + (hosting?.artifacts ?? []), obsolete: hosting?.obsolete ?? [],
                state: StateFile(fingerprints: fingerprints, users: tally.records))
            tally.report.counts.removed = published.removed
            tally.report.counts.leftOver = published.leftovers.count
            tally.report.leftovers = published.leftovers
            tally.report.filesWritten += published.written.count
        } catch {
            throw .site(error)
        }
        for leftover in tally.report.leftovers {
            // Not a failure of any user: the site is whole and consistent, the folder only costs space.
            logger.warning("""
                the folder of a user who left could not be removed; the next build tries again. If it stays, check the \
                folder's owner and attributes (lsattr) and remove it by hand
                """,
                           metadata: ["path": "\(leftover.path)", "reason": "\(leftover.reason)"])
        }
        do {
            try page.removeObsolete()
        } catch {
            // The new page and everything it names are in place; an old file left over costs space, not correctness.
            logger.warning("an old file of the directory page could not be removed: \(error.localizedDescription)")
        }
    }

    /// The directory page, when `output.page` asks for it and its templates are installed.
    private func pageArtifacts(_ users: [UserEntry], design: PageDesign?) -> DirectoryPageArtifacts {
        guard let design else { return .none }
        return DirectoryPageArtifacts.make(users: users, sizes: configuration.sizes.map(\.description), design: design,
                                           fields: configuration.output.publicFields, layout: layout)
    }

    /// The page's title, logo and templates, read before anything is fetched so that a mistake
    /// in them costs no downloads.
    func pageDesign() throws(BuildError) -> PageDesign? {
        guard configuration.output.page else { return nil }
        do throws(ConfigurationError) {
            guard let design = try PageDesign.load(configuration.page) else {
                logger.warning("the directory page's templates were not installed beside the binary; writing no index.html")
                return nil
            }
            return design
        } catch {
            throw .configuration(error)
        }
    }

    /// `hosting/`: the host configs and the lookups they read.
    private func hostingArtifacts(_ entries: [UserEntry]) throws(SiteError) -> HostingArtifacts? {
        guard let templates = SiteTemplates.folder("hosting") else {
            logger.warning("the host-config templates were not installed beside the binary; writing no hosting/ folder")
            return nil
        }
        let silhouette = PlaceholderRenderer(settings: RenderSettings(configuration: configuration), style: configuration.placeholder)
        let hosting = try HostingArtifacts(configuration: configuration, layout: layout,
                                           users: entries.map { ($0.id, $0.addresses) }, templates: templates,
                                           silhouette: silhouette)
        if hosting.ambiguousAliases > 0 {
            logger.notice("addresses two users share name neither in the site's URLs",
                          metadata: ["addresses": "\(hosting.ambiguousAliases)"])
        }
        return hosting
    }
}
