/**
 * Demo wards and automated dispensing cabinets (BD Pyxis MedStation style) of a
 * fictitious mid-sized Brazilian general hospital. The layout follows what is
 * typical in Brazilian hospitals (UTI, pronto-socorro, centro cirúrgico, ...).
 * Demo data only: no real institution, floor plan or equipment inventory.
 */
import type { DispenserSeed, WardSeed } from "./types.js";

export const wards: readonly WardSeed[] = [
  { code: "UTI-ADULTO", name: "UTI Adulto", floor: "3º andar" },
  { code: "UTI-NEONATAL", name: "UTI Neonatal", floor: "4º andar" },
  { code: "PEDIATRIA", name: "Internação Pediátrica", floor: "4º andar" },
  { code: "CENTRO-CIRURGICO", name: "Centro Cirúrgico", floor: "2º andar" },
  { code: "PRONTO-SOCORRO", name: "Pronto-Socorro Adulto", floor: "Térreo" },
  { code: "CLINICA-MEDICA", name: "Clínica Médica", floor: "5º andar" },
  { code: "CLINICA-CIRURGICA", name: "Clínica Cirúrgica", floor: "6º andar" },
  { code: "ONCOLOGIA", name: "Oncologia e Hematologia", floor: "7º andar" },
];

export const dispensers: readonly DispenserSeed[] = [
  // UTI Adulto
  {
    code: "PYX-UTI-01",
    name: "Pyxis MedStation 4000 – UTI Adulto Leitos 1-10",
    ward: "UTI-ADULTO",
    floor: "3º andar",
    location: "Posto de enfermagem, corredor A",
    status: "ONLINE",
  },
  {
    code: "PYX-UTI-02",
    name: "Pyxis MedStation 4000 – UTI Adulto Leitos 11-20",
    ward: "UTI-ADULTO",
    floor: "3º andar",
    location: "Posto de enfermagem, corredor B",
    status: "ONLINE",
  },
  {
    code: "PYX-UTI-03",
    name: "Pyxis MedStation ES – UTI Adulto Sala de Preparo",
    ward: "UTI-ADULTO",
    floor: "3º andar",
    location: "Sala de preparo de medicamentos, ao lado da copa",
    status: "ONLINE",
  },
  // UTI Neonatal
  {
    code: "PYX-UTIN-01",
    name: "Pyxis MedStation ES – UTI Neonatal",
    ward: "UTI-NEONATAL",
    floor: "4º andar",
    location: "Posto de enfermagem central, ala norte",
    status: "ONLINE",
  },
  // Pediatria
  {
    code: "PYX-PED-01",
    name: "Pyxis MedStation 4000 – Pediatria Leitos 401-415",
    ward: "PEDIATRIA",
    floor: "4º andar",
    location: "Posto de enfermagem, corredor A",
    status: "ONLINE",
  },
  {
    code: "PYX-PED-02",
    name: "Pyxis MedStation 4000 – Pediatria Leitos 416-430",
    ward: "PEDIATRIA",
    floor: "4º andar",
    location: "Posto de enfermagem, corredor B",
    status: "ONLINE",
  },
  // Centro Cirúrgico
  {
    code: "PYX-CC-01",
    name: "Pyxis Anesthesia Station ES – Centro Cirúrgico Salas 1-4",
    ward: "CENTRO-CIRURGICO",
    floor: "2º andar",
    location: "Corredor limpo, entre as salas 2 e 3",
    status: "ONLINE",
  },
  {
    code: "PYX-CC-02",
    name: "Pyxis Anesthesia Station ES – Centro Cirúrgico Salas 5-8",
    ward: "CENTRO-CIRURGICO",
    floor: "2º andar",
    location: "Corredor limpo, entre as salas 6 e 7",
    status: "ONLINE",
  },
  {
    code: "PYX-CC-03",
    name: "Pyxis MedStation 4000 – Sala de Recuperação Pós-Anestésica",
    ward: "CENTRO-CIRURGICO",
    floor: "2º andar",
    location: "SRPA, posto de enfermagem",
    status: "ONLINE",
  },
  // Pronto-Socorro
  {
    code: "PYX-PS-01",
    name: "Pyxis MedStation 4000 – Pronto-Socorro Sala de Emergência",
    ward: "PRONTO-SOCORRO",
    floor: "Térreo",
    location: "Sala de emergência (sala vermelha)",
    status: "ONLINE",
  },
  {
    code: "PYX-PS-02",
    name: "Pyxis MedStation 4000 – Pronto-Socorro Observação",
    ward: "PRONTO-SOCORRO",
    floor: "Térreo",
    location: "Sala de observação adulto, posto de enfermagem",
    status: "OFFLINE",
  },
  // Clínica Médica
  {
    code: "PYX-CM-01",
    name: "Pyxis MedStation ES – Clínica Médica Ala A",
    ward: "CLINICA-MEDICA",
    floor: "5º andar",
    location: "Posto de enfermagem, ala A",
    status: "ONLINE",
  },
  {
    code: "PYX-CM-02",
    name: "Pyxis MedStation ES – Clínica Médica Ala B",
    ward: "CLINICA-MEDICA",
    floor: "5º andar",
    location: "Posto de enfermagem, ala B",
    status: "MAINTENANCE",
  },
  // Clínica Cirúrgica
  {
    code: "PYX-CCIR-01",
    name: "Pyxis MedStation ES – Clínica Cirúrgica",
    ward: "CLINICA-CIRURGICA",
    floor: "6º andar",
    location: "Posto de enfermagem central",
    status: "ONLINE",
  },
  // Oncologia
  {
    code: "PYX-ONC-01",
    name: "Pyxis MedStation 4000 – Oncologia Internação",
    ward: "ONCOLOGIA",
    floor: "7º andar",
    location: "Posto de enfermagem, corredor A",
    status: "ONLINE",
  },
  {
    code: "PYX-ONC-02",
    name: "Pyxis MedStation ES – Hospital-Dia Oncológico",
    ward: "ONCOLOGIA",
    floor: "7º andar",
    location: "Central de infusão ambulatorial, recepção de enfermagem",
    status: "ONLINE",
  },
];
