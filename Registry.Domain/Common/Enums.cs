namespace Registry.Domain.Common;

public enum Sex { Female, Male }

public enum Citizenship { Citizen, PermanentResident }

public enum Province { EasternCape, FreeState, Gauteng, KwazuluNatal, Limpopo, Mpumalanga, NorthWest, NorthernCape, WesternCape }

public enum Relationship { Head, Spouse, Child, Grandchild, FosterChild, Parent, Grandparent, Sibling, OtherRelative, NonRelative }

public enum IncomeSource { Employment, SelfEmployment, Pension, Maintenance, Other, None }
