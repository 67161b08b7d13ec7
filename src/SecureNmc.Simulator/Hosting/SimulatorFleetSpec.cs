using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Fleet;

namespace SecureNmc.Simulator.Hosting
{
    /// <summary>
    /// What Start-NmcSimulator asks for, checked and turned into a hosted fleet: how many cards, which
    /// application types (rotated over the cards), FTP on or off, the time scale, how many NMC2 cards
    /// (at the end of the fleet) and which faults which card has. All validation lives here so the
    /// cmdlet only binds parameters.
    /// </summary>
    public sealed class SimulatorFleetSpec
    {
        /// <summary>Upload cut-off when "DropUploadAfterBytes" is named without a number.</summary>
        public const long DefaultDropAfterBytes = 32 * 1024;

        public int Count { get; set; } = 5;

        /// <summary>Application types given to the NMC3 cards in turn; empty = every type in turn.</summary>
        public IList<ApplicationType> ApplicationTypes { get; set; } = new List<ApplicationType>();

        public bool EnableFtp { get; set; }

        /// <summary>1 = real time (a rehearsal), 0.01 = 100 times faster, 0 = no delays.</summary>
        public double TimeScale { get; set; } = 1.0;

        /// <summary>The last N cards are NMC2 (hw05), which the product reports as not supported.</summary>
        public int Nmc2Count { get; set; }

        /// <summary>Faults per card number (1-based): names of <see cref="CardFaults"/> switches, "DropUploadAfterBytes[=N]".</summary>
        public IDictionary<int, IList<string>> Faults { get; set; } = new Dictionary<int, IList<string>>();

        /// <summary>SSH port shared by all cards: 22 or 5000-32768 (what a card allows), an error when taken; 0 = a free one in 5000-32768.</summary>
        public int SshPort { get; set; }

        /// <summary>Restart duration after an accepted package, in simulated time.</summary>
        public TimeSpan RestartDuration { get; set; } = new CardTiming().RestartDuration;

        public static IReadOnlyList<string> FaultNames { get; } = new[]
        {
            nameof(CardFaults.RefuseConnections), nameof(CardFaults.DropUploadAfterBytes), nameof(CardFaults.CorruptReceivedFile),
            nameof(CardFaults.NeverComeBack), nameof(CardFaults.ComeBackOnOldVersion), nameof(CardFaults.AnswerSlowly),
            nameof(CardFaults.PresentDifferentHostKey), nameof(CardFaults.StallUploadAfterBytes), nameof(CardFaults.SilentFtpDataConnection),
            nameof(CardFaults.HalfOpenConnections), nameof(CardFaults.LegacySshOnly), nameof(CardFaults.RsaHostKeyOnly),
            nameof(CardFaults.GarbledSshIdentification), nameof(CardFaults.ResetMidHandshake), nameof(CardFaults.SlowToStartInstalling),
            nameof(CardFaults.FlappingLink),
        };

        /// <summary>Every problem with the request, each naming the bad value; empty when it can start.</summary>
        public IReadOnlyList<string> Validate()
        {
            var problems = new List<string>();
            if (Count < 1 || Count > 62500) problems.Add($"Count must be from 1 to 62500 cards, not {Count}.");
            if (TimeScale < 0 || double.IsNaN(TimeScale) || double.IsInfinity(TimeScale))
                problems.Add($"TimeScale must be 0 or more (1 = real time, 0.01 = 100 times faster, 0 = no delays), not {TimeScale.ToString(CultureInfo.InvariantCulture)}.");
            if (Nmc2Count < 0 || Nmc2Count > Count) problems.Add($"Nmc2Count must be from 0 to the number of cards ({Count}), not {Nmc2Count}.");
            if (SshPort != 0 && SshPort != NmcDevice.DefaultScpPort && (SshPort < CardPortChooser.Minimum || SshPort > CardPortChooser.Maximum))
                problems.Add($"SshPort {SshPort} is not a port an NMC3 card can listen on: use 22 or a port from {CardPortChooser.Minimum} to {CardPortChooser.Maximum}, or 0 (the default) for a free one.");
            if (RestartDuration < TimeSpan.Zero) problems.Add("RestartDuration cannot be negative.");
            foreach (var entry in Faults)
            {
                if (entry.Key < 1 || entry.Key > Count)
                    problems.Add($"Fault for card {entry.Key}: cards are numbered 1 to {Count}.");
                foreach (var fault in entry.Value ?? new List<string>())
                    if (!TryParseFault(fault, out _, out _, out var problem)) problems.Add($"Fault for card {entry.Key}: {problem}");
            }
            return problems;
        }

        /// <summary>Builds and hosts the fleet; throws <see cref="ArgumentException"/> listing every problem first.</summary>
        public SimulatorFleetHost Start(Microsoft.Extensions.Logging.ILogger? logger = null)
        {
            var problems = Validate();
            if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
            var fleet = new SimulatedFleet(new SimulatorClock(TimeScale));
            try
            {
                var types = ApplicationTypes.Count > 0 ? ApplicationTypes.ToArray() : (ApplicationType[])Enum.GetValues(typeof(ApplicationType));
                fleet.AddCards(Count, i => ProfileFor(i, types), new CardTiming { RestartDuration = RestartDuration });
                var cards = fleet.Cards;
                foreach (var entry in Faults)
                    foreach (var fault in entry.Value) ApplyFault(cards[entry.Key - 1], fault);
                foreach (var card in cards) card.FtpEnabled = EnableFtp;
                return SimulatorFleetHost.Start(fleet, new SimulatorHostOptions { SshPort = SshPort, Logger = logger });
            }
            catch
            {
                fleet.Dispose();
                throw;
            }
        }

        private CardProfile ProfileFor(int index, ApplicationType[] types)
        {
            if (index >= Count - Nmc2Count) return CardProfile.Nmc2(index);
            var profile = CardProfile.ForFleetMember(index);
            profile.ApplicationType = types[index % types.Length];
            profile.DeviceModel = profile.ApplicationType == ApplicationType.RPDU2G ? "AP8841" : profile.DeviceModel;
            return profile;
        }

        /// <summary>Switches one fault on; names are case-insensitive.</summary>
        public static void ApplyFault(SimulatedCard card, string fault)
        {
            if (card == null) throw new ArgumentNullException(nameof(card));
            if (!TryParseFault(fault, out var name, out var bytes, out var problem)) throw new ArgumentException(problem, nameof(fault));
            var f = card.Faults;
            switch (name)
            {
                case nameof(CardFaults.RefuseConnections): f.RefuseConnections = true; break;
                case nameof(CardFaults.DropUploadAfterBytes): f.DropUploadAfterBytes = bytes; break;
                case nameof(CardFaults.CorruptReceivedFile): f.CorruptReceivedFile = true; break;
                case nameof(CardFaults.NeverComeBack): f.NeverComeBack = true; break;
                case nameof(CardFaults.ComeBackOnOldVersion): f.ComeBackOnOldVersion = true; break;
                case nameof(CardFaults.AnswerSlowly): f.AnswerSlowly = true; break;
                case nameof(CardFaults.PresentDifferentHostKey): f.PresentDifferentHostKey = true; break;
                case nameof(CardFaults.StallUploadAfterBytes): f.StallUploadAfterBytes = bytes; break;
                case nameof(CardFaults.SilentFtpDataConnection): f.SilentFtpDataConnection = true; break;
                case nameof(CardFaults.HalfOpenConnections): f.HalfOpenConnections = true; break;
                case nameof(CardFaults.LegacySshOnly): f.LegacySshOnly = true; break;
                case nameof(CardFaults.RsaHostKeyOnly): f.RsaHostKeyOnly = true; break;
                case nameof(CardFaults.GarbledSshIdentification): f.GarbledSshIdentification = true; break;
                case nameof(CardFaults.ResetMidHandshake): f.ResetMidHandshake = true; break;
                case nameof(CardFaults.SlowToStartInstalling): f.SlowToStartInstalling = true; break;
                case nameof(CardFaults.FlappingLink): f.FlappingLink = true; break;
            }
        }

        private static bool TryParseFault(string? text, out string name, out long bytes, out string problem)
        {
            name = "";
            bytes = DefaultDropAfterBytes;
            problem = "";
            var trimmed = (text ?? "").Trim();
            var eq = trimmed.IndexOf('=');
            var head = eq >= 0 ? trimmed.Substring(0, eq).Trim() : trimmed;
            var known = FaultNames.FirstOrDefault(n => string.Equals(n, head, StringComparison.OrdinalIgnoreCase));
            if (known == null)
            {
                problem = $"'{text}' is not a fault. Faults: {string.Join(", ", FaultNames)} (DropUploadAfterBytes=N cuts an upload after N bytes, StallUploadAfterBytes=N stalls it there).";
                return false;
            }
            if (eq >= 0)
            {
                var value = trimmed.Substring(eq + 1).Trim();
                if (known != nameof(CardFaults.DropUploadAfterBytes) && known != nameof(CardFaults.StallUploadAfterBytes))
                {
                    problem = $"'{text}': only DropUploadAfterBytes and StallUploadAfterBytes take a value.";
                    return false;
                }
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bytes) || bytes < 0)
                {
                    problem = $"'{text}': {known} needs a whole number of bytes (0 or more).";
                    return false;
                }
            }
            name = known;
            return true;
        }
    }
}
