using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// File paths taken the way PowerShell's own cmdlets take them (Get-Content, Export-Csv): resolved
    /// by the provider against the session's current location (Set-Location), not the process
    /// directory; -Path expands wildcards, -LiteralPath takes every character as written; FileSystem
    /// paths only. Each problem becomes an ErrorRecord naming the path and what to do, handed to the
    /// caller's <c>report</c>, which decides whether it stops the command.
    /// </summary>
    internal sealed class ProviderPaths
    {
        private readonly PSCmdlet _cmdlet;

        public ProviderPaths(PSCmdlet cmdlet) { _cmdlet = cmdlet; }

        private PathIntrinsics Paths => _cmdlet.SessionState.Path;

        private string CommandName => _cmdlet.MyInvocation.MyCommand?.Name ?? "the command";

        /// <summary>
        /// Files that must exist: a -Path pattern gives every file it matches, a literal path its one
        /// file. No match, a folder, or a path of another provider is reported; the rest are returned.
        /// </summary>
        public List<string> ResolveExisting(string path, bool literal, string fileKind, Action<ErrorRecord> report)
        {
            var files = new List<string>();
            if (!IsFileSystem(path, fileKind, report, out var unresolved)) return files;
            List<string> found;
            if (literal)
            {
                found = File.Exists(unresolved) || Directory.Exists(unresolved) ? new List<string> { unresolved } : new List<string>();
            }
            else
            {
                try { found = Paths.GetResolvedProviderPathFromPSPath(path, out _).ToList(); }
                catch (ItemNotFoundException) { found = new List<string>(); }
            }
            if (found.Count == 0)
            {
                report(NotFound(path, literal, unresolved, fileKind));
                return files;
            }
            foreach (var match in found)
            {
                if (Directory.Exists(match))
                    report(Error("PathIsFolder", ErrorCategory.InvalidArgument, path,
                        $"'{match}' is a folder, not a {fileKind}.",
                        $"Give the path of a {fileKind} in that folder."));
                else files.Add(match);
            }
            return files;
        }

        /// <summary>Exactly one existing file: a -Path pattern that matches several is reported (null is returned).</summary>
        public string? ResolveOneExisting(string path, bool literal, string fileKind, Action<ErrorRecord> report)
        {
            var files = ResolveExisting(path, literal, fileKind, report);
            if (files.Count <= 1) return files.FirstOrDefault();
            var names = ConfirmationText.Targets(files.Select(f => System.IO.Path.GetFileName(f)).ToList());
            report(Error("PathAmbiguous", ErrorCategory.InvalidArgument, path,
                $"-Path '{path}' matches {files.Count} files ({names}); {CommandName} takes one {fileKind}.",
                $"Name one file, or pipe them one by one: Get-ChildItem -Path '{path}' | {CommandName}"));
            return null;
        }

        /// <summary>
        /// A file or folder to create (it may exist). A literal path is taken as written. A -Path with
        /// wildcard characters must match exactly one existing item, as Export-Csv and Out-File require;
        /// escaped characters (`[) are part of the name.
        /// </summary>
        public string? ResolveTarget(string path, bool literal, string fileKind, Action<ErrorRecord> report)
        {
            if (literal || !WildcardPattern.ContainsWildcardCharacters(path))
            {
                var asWritten = literal ? path : WildcardPattern.Unescape(path);
                return IsFileSystem(asWritten, fileKind, report, out var unresolved) ? unresolved : null;
            }
            if (!IsFileSystem(path, fileKind, report, out _)) return null;
            List<string> found;
            try { found = Paths.GetResolvedProviderPathFromPSPath(path, out _).ToList(); }
            catch (ItemNotFoundException) { found = new List<string>(); }
            if (found.Count == 1) return found[0];
            report(Error("OutputPathWildcard", ErrorCategory.InvalidArgument, path,
                $"-Path '{path}' has wildcard characters ([ ] * ?) and matches {(found.Count == 0 ? "no file" : found.Count + " files")}; the {fileKind} to write must be named exactly.",
                $"To write a {fileKind} whose name contains [ or ], use -LiteralPath '{path}' (or escape them with a backtick in -Path)."));
            return null;
        }

        /// <summary>The provider path of <paramref name="path"/> when it is a FileSystem path; otherwise reports why not.</summary>
        private bool IsFileSystem(string path, string fileKind, Action<ErrorRecord> report, out string unresolved)
        {
            unresolved = "";
            ProviderInfo provider;
            try { unresolved = Paths.GetUnresolvedProviderPathFromPSPath(path, out provider, out _); }
            catch (Exception ex) when (ex is System.Management.Automation.DriveNotFoundException || ex is ProviderNotFoundException || ex is ProviderInvocationException || ex is NotSupportedException || ex is ArgumentException)
            {
                report(Error("PathNotFound", ErrorCategory.ObjectNotFound, path, $"Cannot use the path '{path}' for a {fileKind}: {ex.Message}",
                    "Give a file system path, such as a path under the current location or a full path.", ex));
                return false;
            }
            if (provider.Name == "FileSystem") return true;
            report(Error("PathNotFileSystem", ErrorCategory.InvalidArgument, path,
                $"'{path}' is a path of the {provider.Name} provider, not of the file system; a {fileKind} must be a file.",
                $"Give a file system path. The current location is {Paths.CurrentLocation}; a relative path is resolved from there, so use a full path or Set-Location to a folder first."));
            return false;
        }

        private ErrorRecord NotFound(string path, bool literal, string unresolved, string fileKind)
        {
            var location = Paths.CurrentFileSystemLocation.ProviderPath;
            if (!literal && WildcardPattern.ContainsWildcardCharacters(path))
                return Error("PathNotFound", ErrorCategory.ObjectNotFound, path,
                    $"-Path '{path}' matches no {fileKind}: -Path treats [ ] * ? as wildcards (relative paths start at {location}).",
                    path.IndexOfAny(new[] { '[', ']' }) >= 0
                        ? $"For a file whose name contains [ or ], use -LiteralPath '{path}'; to see what the pattern matches, run Get-ChildItem -Path '{path}'."
                        : $"Check the pattern with Get-ChildItem -Path '{path}'.");
            return Error("PathNotFound", ErrorCategory.ObjectNotFound, path,
                $"The {fileKind} '{unresolved}' does not exist.",
                $"Check the path; a relative path is resolved from the current PowerShell location ({location}), not the process directory.");
        }

        private static ErrorRecord Error(string errorId, ErrorCategory category, string path, string message, string advice, Exception? inner = null) =>
            NmcCmdlet.CreateError(errorId, category, path, message, advice, inner);
    }
}
