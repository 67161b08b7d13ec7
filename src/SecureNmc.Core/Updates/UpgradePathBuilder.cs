using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// Builds the ordered packages that take a card from its version to a higher target without
    /// breaking the rules: below 2.3.1.1 first to 2.3.1.1 (or the lowest available at or above it);
    /// never skip a major version (1.x -> 2.x -> 3.x, taking the newest of each intermediate major).
    /// Intermediates use the card's current application type so a type change happens once, last.
    /// </summary>
    internal static class UpgradePathBuilder
    {
        public static bool TryBuild(
            FirmwareVersion lowestInstalled,
            IReadOnlyList<FirmwarePackage> currentTypePackages,
            FirmwarePackage target,
            out List<(FirmwarePackage Package, UpdateStepKind Kind)> path,
            out string? problem)
        {
            path = new List<(FirmwarePackage, UpdateStepKind)>();
            problem = null;
            var safe = UpgradeRules.FlashSafeMinimum;
            var position = lowestInstalled;

            if (target.Version < safe)
            {
                problem = $"the target {target.Version} is older than {safe}, and firmware older than {safe} can corrupt flash during an update ({UpgradeRules.FlashSafeArticle}); choose {safe} or later.";
                return false;
            }

            if (position < safe)
            {
                var intermediate = currentTypePackages
                    .Where(p => p.Version >= safe && p.Version <= target.Version)
                    .OrderBy(p => p.Version).FirstOrDefault();
                if (intermediate == null)
                {
                    // Only reachable for a type change: the target is of another type, so it is no candidate.
                    problem = $"the card runs {position}, older than {safe}; it must first go to {safe} or the lowest later version of its own application type ({UpgradeRules.FlashSafeArticle}), and the library has none. Import one, or update the card within its type first.";
                    return false;
                }
                if (intermediate.Version.Major > position.Major + 1)
                {
                    problem = $"the card runs {position}; the first version at or above {safe} in the library is {intermediate.Version}, which would skip major version {position.Major + 1}. Import a {position.Major + 1}.x package.";
                    return false;
                }
                if (!string.Equals(intermediate.FileName, target.FileName, System.StringComparison.OrdinalIgnoreCase))
                {
                    path.Add((intermediate, UpdateStepKind.FlashSafeIntermediate));
                    position = intermediate.Version;
                }
            }

            while (target.Version.Major > position.Major + 1)
            {
                var major = position.Major + 1;
                var step = currentTypePackages.Where(p => p.Version.Major == major && p.Version > position)
                    .OrderByDescending(p => p.Version).FirstOrDefault();
                if (step == null)
                {
                    problem = $"going from {position} to {target.Version} would skip major version {major}, and the library has no {major}.x package for the card's application type. Import one.";
                    return false;
                }
                path.Add((step, UpdateStepKind.MajorVersionIntermediate));
                position = step.Version;
            }

            path.Add((target, UpdateStepKind.Target));
            return true;
        }
    }
}
