using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Texts for -WhatIf / -Confirm prompts.</summary>
    internal static class ConfirmationText
    {
        /// <summary>
        /// "ups-a, ups-b, ups-c (plus 97 more)": a prompt that lists a whole fleet is unreadable,
        /// one that hides how many cards are affected is dangerous.
        /// </summary>
        public static string Targets(IEnumerable<string> names, int shown = 3)
        {
            var all = names.ToList();
            if (all.Count == 0) return "(no devices)";
            var head = string.Join(", ", all.Take(shown));
            return all.Count <= shown ? head : $"{head} (plus {all.Count - shown} more)";
        }
    }
}
