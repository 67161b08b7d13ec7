namespace SecureNmc.Core.Tests.CardFiles
{
    /// <summary>Realistic card texts, written by hand after the field notes (not produced by the simulator).</summary>
    internal static class CardFileSamples
    {
        public const string Nmc3ConfigIni =
            "; Schneider Electric\r\n" +
            "; Network Management Card AOS v2.5.0.8\r\n" +
            "; Smart-UPS APP v2.5.0.6\r\n" +
            "; (c) 2023 Schneider Electric. All rights reserved.\r\n" +
            "; Configuration file, generated on 01/21/2026 at 16:08:12 by Administrator apc\r\n" +
            "\r\n" +
            "[NetworkTCP/IP]\r\n" +
            "Override=28 29 86 0A 0B 0C\r\n" +
            "SystemIP=10.20.30.40\r\n" +
            "SubnetMask=255.255.255.0\r\n" +
            "DefaultGateway=10.20.30.1\r\n" +
            "IPv4=enabled\r\n" +
            "BootMode=manual\r\n" +
            "HostName=ups-rack-12\r\n" +
            "DomainName=corp.example\r\n" +
            "\r\n" +
            "[NetworkFTPServer]\r\n" +
            "Access=disabled\r\n" +
            "Port=21\r\n" +
            "\r\n" +
            "[SystemID]\r\n" +
            "Name=UPS Rack 12\r\n" +
            "Contact=noc@corp.example\r\n" +
            "Location=DC1 Row C\r\n" +
            "\r\n" +
            "[EventActionConfig]\r\n" +
            "E0078=enabled,informational\r\n";

        public const string Nmc2ConfigIni =
            "; Schneider Electric\n" +
            "; Network Management Card AOS v6.9.6\n" +
            "; Smart-UPS & Matrix-UPS APP v6.9.6\n" +
            "; (c) 2019 Schneider Electric. All rights reserved.\n" +
            "; Configuration file, generated on 03/02/2025 at 08:00:01 by Administrator apc\n" +
            "[NetworkTCP/IP]\n" +
            "Override=00-C0-B7-11-22-33\n" +
            "HostName=old-ups\n" +
            "[SystemID]\n" +
            "Name=Old UPS\n";

        public const string Nmc3EventLog =
            "Event Log File Format Version:\t1.0\r\n" +
            "Date of Retrieval:\t01/21/2026\t16:10:00\r\n" +
            "Name:\tUPS Rack 12\r\n" +
            "Contact:\tnoc@corp.example\r\n" +
            "Location:\tDC1 Row C\r\n" +
            "IP:\t10.20.30.40\r\n" +
            "Network Management Card AOS:\tv2.5.0.8\r\n" +
            "Smart-UPS APP:\tv2.5.0.6\r\n" +
            "\r\n" +
            "Code\tDate\tTime\tEvent\r\n" +
            "0x0078\t01/21/2026\t16:05:00\tFirmware Updated.\r\n" +
            "0x0001\t01/21/2026\t16:04:10\tSystem: Coldstart.\r\n" +
            "0x0078\t11/02/2025\t09:00:00\tFirmware Updated.\r\n";

        public const string Nmc3DataLog =
            "Data Log File Format Version:\t1.0\r\n" +
            "Date of Retrieval:\t01/21/2026\t16:10:00\r\n" +
            "Name:\tUPS Rack 12\r\n" +
            "Contact:\tnoc@corp.example\r\n" +
            "Location:\tDC1 Row C\r\n" +
            "IP:\t10.20.30.40\r\n" +
            "Network Management Card AOS:\tv2.5.0.8\r\n" +
            "Smart-UPS APP:\tv2.5.0.6\r\n" +
            "Model:\tSmart-UPS X 3000\r\n" +
            "\r\n" +
            "Date\tTime\tVin\tVout\tLoad %\r\n" +
            "01/21/2026\t16:10:00\t230.1\t230.0\t21.0\r\n" +
            "01/21/2026\t16:00:00\t229.8\t230.0\t22.5\r\n";

        public const string Nmc3About =
            "E000: Success\r\n" +
            "Hardware Factory\r\n" +
            "---------------\r\n" +
            "Model Number:\t\tAP9641\r\n" +
            "Serial Number:\t\tZA2045001234\r\n" +
            "Hardware Revision:\t5\r\n" +
            "Manufacture Date:\t11/05/2020\r\n" +
            "MAC Address:\t\t28 29 86 0A 0B 0C\r\n" +
            "Management Uptime:\t12 Days 3 Hours 4 Minutes\r\n" +
            "\r\n" +
            "Application Module\r\n" +
            "---------------\r\n" +
            "Name:\t\t\tsu\r\n" +
            "Version:\t\tv2.5.0.6\r\n" +
            "Date:\t\t\t10/02/2025\r\n" +
            "\r\n" +
            "APC OS(AOS)\r\n" +
            "---------------\r\n" +
            "Name:\t\t\taos\r\n" +
            "Version:\t\tv2.5.0.8\r\n" +
            "\r\n" +
            "APC Boot Loader\r\n" +
            "---------------\r\n" +
            "Name:\t\t\tboot\r\n" +
            "Version:\t\tv1.5.1.1\r\n";

        public const string Nmc2About =
            "apc>about\n" +
            "E000: Success\n" +
            "Hardware Factory\n" +
            "Model Number:           AP9631\n" +
            "Serial Number:          5A1234E56789\n" +
            "Hardware Revision:      05\n" +
            "MAC Address:            00 C0 B7 11 22 33\n" +
            "Application Module\n" +
            "Name:                   sumx\n" +
            "Version:                v6.9.6\n" +
            "APC OS(AOS)\n" +
            "Name:                   aos\n" +
            "Version:                v6.9.6\n" +
            "APC Boot Monitor\n" +
            "Name:                   bootmon\n" +
            "Version:                v1.0.9\n";

        public const string Nmc3Banner =
            "Schneider Electric                      Network Management Card AOS      v2.5.0.8\r\n" +
            "(c)Copyright 2023 All Rights Reserved   Smart-UPS APP                    v2.5.0.6\r\n" +
            "-------------------------------------------------------------------------------\r\n" +
            "Name      : UPS Rack 12                               Date : 01/21/2026\r\n" +
            "Contact   : noc@corp.example                          Time : 16:08:12\r\n" +
            "Location  : DC1 Row C                                 User : Administrator\r\n" +
            "Up Time   : 12 Days 3 Hours 4 Minutes                 Stat : P+ N4+ N6+ A+\r\n";
    }
}
