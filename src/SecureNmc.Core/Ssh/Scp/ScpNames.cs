using System;
using System.Linq;

namespace SecureNmc.Core.Ssh.Scp
{
    /// <summary>
    /// Remote names go on the scp command line unquoted (cards do not understand quoting), so only
    /// names that need no quoting are accepted.
    /// </summary>
    public static class ScpNames
    {
        private const string Forbidden = " \t\r\n\"'`$;&|<>*?\\(){}[]!#~";

        /// <summary>Throws <see cref="ArgumentException"/> explaining what is wrong with <paramref name="remoteName"/>.</summary>
        public static void Validate(string remoteName)
        {
            if (string.IsNullOrEmpty(remoteName))
                throw new ArgumentException("The remote file name is empty; give the name of a file on the card, e.g. 'config.ini'.", nameof(remoteName));
            if (remoteName.Length > 255)
                throw new ArgumentException($"The remote file name is {remoteName.Length} characters long; cards accept at most 255.", nameof(remoteName));
            if (remoteName.StartsWith("-", StringComparison.Ordinal))
                throw new ArgumentException($"The remote file name '{remoteName}' starts with '-', which scp would read as an option.", nameof(remoteName));
            if (remoteName.EndsWith("/", StringComparison.Ordinal) || remoteName == "." || remoteName == "..")
                throw new ArgumentException($"'{remoteName}' is a folder; give a file name as the target (cards need the file name).", nameof(remoteName));
            var bad = remoteName.FirstOrDefault(c => Forbidden.IndexOf(c) >= 0 || c < 32 || c == 127);
            if (bad != default(char))
                throw new ArgumentException($"The remote file name '{remoteName}' contains '{(bad < 32 ? "control character" : bad.ToString())}', which cannot be sent unquoted to a card.", nameof(remoteName));
        }

        /// <summary>The last path segment: what goes into the SCP "C" line.</summary>
        public static string BaseName(string remoteName)
        {
            int slash = remoteName.LastIndexOf('/');
            return slash >= 0 ? remoteName.Substring(slash + 1) : remoteName;
        }
    }
}
