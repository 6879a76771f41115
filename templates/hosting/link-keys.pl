#!/usr/bin/env perl
# avatar-site {{{version}}}: lays out the site's files under the keys a bucket serves them by, as
# three trees of hard links in WORK, for sync-s3.sh and sync-azure.sh:
#
#   perl hosting/link-keys.pl SITE WORK
#
# A bucket answers Graph's URLs only if it holds users/{id}/photo and users/{id}/photo/$value,
# users/{id}/photos and users/{id}/photos/48x48 as objects, which one folder cannot hold as
# files. So the keys are split into trees where no name is both a file and a folder:
#
#   WORK/files  the published files but JSON (images, the page, its assets), plus
#               users/{id}/photo/$value and users/{id}/photos/{W}x{H}/$value
#   WORK/json   every JSON file, plus users/{id}/photo and users/{id}/photos/{W}x{H}
#   WORK/lists  users/{id}/photos
#   WORK/kinds  the optional kinds the site has, one a line: png webp page assets
#
# A hard link keeps the file's size and time, so an unchanged file looks unchanged to
# `aws s3 sync` and `azcopy`; links also hold the files as they were when the run started,
# should a build replace them meanwhile. Links are made here, one process for all of them:
# `ln` would start a process per key, a million at 50,000 users.
use strict;
use warnings;

my ($site, $work) = @ARGV;
die "usage: perl hosting/link-keys.pl SITE WORK\n" unless defined $work && -d $site && -d $work;

my ($files, $json, $lists) = map { "$work/$_" } qw(files json lists);
my %made_folders;
my %kinds;
my $links = 0;

sub make_folder {
    my ($folder) = @_;
    return if $made_folders{$folder} || -d $folder;
    (my $parent = $folder) =~ s{/[^/]+\z}{};
    make_folder($parent);
    mkdir $folder or die "link-keys.pl: cannot create $folder: $!\n";
    $made_folders{$folder} = 1;
}

sub put {
    my ($file, $key) = @_;
    (my $folder = $key) =~ s{/[^/]+\z}{};
    make_folder($folder);
    link $file, $key or die "link-keys.pl: cannot link $file to $key: $!\n";
    $links++;
}

sub entries {
    my ($folder) = @_;
    opendir(my $handle, $folder) or die "link-keys.pl: cannot read $folder: $!\n";
    my @names = sort grep { !/^\./ } readdir $handle;
    closedir $handle;
    return @names;
}

# Every regular file under a folder, at the same relative path (the page's assets).
sub put_tree {
    my ($from, $to) = @_;
    for my $name (entries($from)) {
        if (-d "$from/$name") { put_tree("$from/$name", "$to/$name") }
        elsif (-f _) { put("$from/$name", "$to/$name") }
    }
}

# Graph's keys for the files of a user's folder, from the site's contract: the file (relative
# to the folder, capturing the size), the tree, and the key below users/{id}/.
my %trees = (files => $files, json => $json, lists => $lists);
my @graph_keys = (
{{#link_keys}}
    [qr{\A{{{file_pattern}}}\z}, '{{tree}}', '{{{key}}}'],
{{/link_keys}}
);

# A file of the user's folder under its own key (JSON in the json tree, images in files), and
# under Graph's key when it answers one of Graph's URLs.
sub put_file {
    my ($id, $name) = @_;
    my $file = "$site/users/$id/$name";
    if ($name =~ /\.json\z/) { put($file, "$json/users/$id/$name") }
    elsif ($name =~ /\.jpg\z/) { put($file, "$files/users/$id/$name") }
    elsif ($name =~ /\.(png|webp)\z/) { $kinds{$1} = 1; put($file, "$files/users/$id/$name"); return }
    else { return }
    for my $graph_key (@graph_keys) {
        my ($pattern, $tree, $key) = @$graph_key;
        next unless $name =~ $pattern;
        my $size = $1;
        $key =~ s/\$1/$size/ if defined $size;
        put($file, "$trees{$tree}/users/$id/$key");
    }
}

sub put_user {
    my ($id) = @_;
    my $user = "$site/users/$id";
    for my $name (entries($user)) {
        put_file($id, $name) if -f "$user/$name";
    }
    return unless -d "$user/photos";
    for my $name (entries("$user/photos")) {
        put_file($id, "photos/$name") if -f "$user/photos/$name";
    }
}

make_folder($_) for ($files, $json, $lists);
put("$site/users.json", "$json/users.json");
if (-f "$site/index.html") {
    put("$site/index.html", "$files/index.html");
    $kinds{page} = 1;
}
for my $name (entries($site)) {
    next unless $name =~ /\Adirectory\.[A-Za-z0-9_-]+\.js\z/ && -f "$site/$name";
    put("$site/$name", "$files/$name");
    $kinds{assets} = 1;
}
if (-d "$site/assets") {
    put_tree("$site/assets", "$files/assets");
    $kinds{assets} = 1;
}
my @users = -d "$site/users" ? entries("$site/users") : ();
put_user($_) for @users;
open(my $kinds_file, '>', "$work/kinds") or die "link-keys.pl: cannot write $work/kinds: $!\n";
print $kinds_file map { "$_\n" } sort keys %kinds;
close $kinds_file or die "link-keys.pl: cannot write $work/kinds: $!\n";
printf STDERR "link-keys.pl: %d users, %d keys\n", scalar @users, $links;
