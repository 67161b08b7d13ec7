using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.CardFiles
{
    /// <summary>One firmware module listed by <c>about</c>: "boot"/"bootmon", "aos", or the application ("su", "sumx"...).</summary>
    public sealed class AboutModule
    {
        internal AboutModule(string name) => Name = name;

        /// <summary>The module name as printed; for names printed as image files (apc_hw21_su_2.5.0.6.bin) the code ("su").</summary>
        public string Name { get; internal set; }
        public string? Version { get; internal set; }
        public string? Date { get; internal set; }
        public string? Time { get; internal set; }

        /// <summary>"hw21" when the module was printed as an image file name, else null.</summary>
        public string? HardwareCode { get; internal set; }

        /// <summary>The block title the module was listed under ("Application Module", "APC OS(AOS)"...), if any.</summary>
        public string? Title { get; internal set; }

        public bool IsBootloader => Name.Equals("boot", StringComparison.OrdinalIgnoreCase) || Name.Equals("bootmon", StringComparison.OrdinalIgnoreCase) ||
                                    (Title?.IndexOf("boot", StringComparison.OrdinalIgnoreCase) >= 0);
        public bool IsAos => Name.Equals("aos", StringComparison.OrdinalIgnoreCase);
        public bool IsApplication => !IsBootloader && !IsAos;
    }

    /// <summary>What the CLI <c>about</c> command reports: hardware facts and the firmware modules.</summary>
    public sealed class AboutReport
    {
        internal AboutReport(IReadOnlyDictionary<string, string> fields, IReadOnlyList<AboutModule> modules)
        {
            Fields = fields;
            Modules = modules;
        }

        /// <summary>Every "Label: value" line outside the module blocks (first occurrence wins).</summary>
        public IReadOnlyDictionary<string, string> Fields { get; }

        public IReadOnlyList<AboutModule> Modules { get; }

        /// <summary>"E000" when the card prefixed its answer with a CLI code.</summary>
        public string? ResponseCode { get; internal set; }

        public string? Model { get; internal set; }
        public string? SerialNumber { get; internal set; }
        public string? HardwareRevision { get; internal set; }
        public string? ManufactureDate { get; internal set; }

        /// <summary>Normalised "28:29:86:00:00:01", or null.</summary>
        public string? MacAddress { get; internal set; }

        public AboutModule? Bootloader => Modules.FirstOrDefault(m => m.IsBootloader);
        public AboutModule? Aos => Modules.FirstOrDefault(m => m.IsAos);
        public AboutModule? Application => Modules.FirstOrDefault(m => m.IsApplication);
    }
}
